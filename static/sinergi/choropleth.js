/*
 * Sinergi Desa: the choropleth layer of every map (loaded by streamlit-folium into the map frame after
 * Leaflet, and after Leaflet.VectorGrid where a map is drawn from vector tiles).
 *
 * The map's script only names URLs (sinergi/maps.py); the data comes over HTTP from the app's own routes
 * (sinergi/routes.py), cached by the browser:
 *   - the regions: a GeoJSON FeatureCollection whose features carry {kode, nama}, or vector tiles
 *     (sinergi/tiles.py: geometry and an integer feature id only) plus the level's codes in feature-id
 *     order (and, fetched on the first hover, their names);
 *   - the colours: {c: [class per region, -1 no data, -2 not drawn]} in the regions' order, and, fetched
 *     on the first hover, the tooltips' details {v: values, r: ranks, k: class labels}. Values are text,
 *     or numbers rounded by the server and formatted here exactly as sinergi.i18n.fmt_num formats them.
 * A new colouring (another indicator, year or classification) replaces only the colours: the regions stay.
 *
 * The view is fitted to the regions at the frame's actual size, again after every resize, leaving the legend's
 * corner free (SD.home, SD.legend: the legend is a control on the map).
 *
 * In the frame: window.sdLayer (the Leaflet layer), window.sdSelect(kode) outlines one region ('' clears),
 * window.sdSelected(), window.sdCount() (regions drawn), window.sdDrawnAt (when the first colours were
 * painted, on the page's clock). A click selects a region and reports {properties: {kode}} to
 * streamlit-folium (its click handler calls toGeoJSON() on the clicked layer).
 */
(function () {
  "use strict";
  if (window.SD) { return; }

  // Leaflet.VectorGrid is loaded after this file (only into frames of tile maps): patched when first used.
  var patched = false;
  function patchVectorGrid() {
    if (patched) { return; }
    patched = true;
    // VectorGrid 1.3.0 calls L.DomEvent.fakeStop on a click, which Leaflet 1.8 removed. Marking the event
    // stopped has the same effect in 1.9: the map fires the click on the clicked feature only.
    if (!L.DomEvent.fakeStop) {
      L.DomEvent.fakeStop = function (e) { e._stopped = true; };
    }
    // VectorGrid finds the feature under the mouse from the map's layer point minus the tile's offset, which
    // is only right when the map's zoom is the tile's zoom: with fractional zooms (zoomSnap 0.25) and above
    // the highest stored zoom, tiles are drawn scaled and hovers and clicks missed. The point within the
    // tile is taken here through the map's projection at the tile's own zoom.
    L.Canvas.Tile.include({
      _tilePoint: function (e) {
        var c = this._tileCoord, size = this._size;
        return this._map.project(this._map.mouseEventToLatLng(e), c.z).subtract(L.point(c.x * size.x, c.y * size.y));
      },
      _onClick: function (e) {
        var point = this._tilePoint(e), layer, clicked;
        for (var id in this._layers) {
          layer = this._layers[id];
          if (layer.options.interactive && layer._containsPoint(point) && !this._map._draggableMoved(layer)) {
            clicked = layer;
          }
        }
        if (clicked) {
          L.DomEvent.fakeStop(e);
          this._fireEvent([clicked], e);
        }
      },
      _onMouseMove: function (e) {
        if (!this._map || this._map.dragging.moving() || this._map._animatingZoom) { return; }
        this._handleMouseHover(e, this._tilePoint(e));
      },
      // Drawn in batches: Leaflet fills and strokes every feature on its own, 85,000 fill() and stroke()
      // calls for the country's villages (most of the time a national map took to appear). Here a tile's
      // features of one colour are one path, filled once (nonzero: MVT rings are oriented, holes stay
      // holes), then the outlines of one style stroked once; the hovered and selected region last, on top.
      _updatePoly: function () { this._scheduleBatch(); },
      _redraw: function () {
        this._redrawRequest = null;
        this._redrawBounds = null;
        this._batchDraw();
      },
      _scheduleBatch: function () {
        if (!this._batchRequest) { this._batchRequest = L.Util.requestAnimFrame(this._batchDraw, this); }
      },
      _batchDraw: function () {
        this._batchRequest = null;
        var ctx = this._ctx;
        if (!ctx) { return; }
        ctx.clearRect(0, 0, this._container.width, this._container.height);
        var fills = {}, strokes = {}, front = [], key, l, op;
        for (var o = this._drawFirst; o; o = o.next) {
          l = o.layer;
          op = l.options;
          if (!l._parts || !l._parts.length) { continue; }
          if (op.sdFront) { front.push(l); continue; }
          if (op.fill) {
            key = op.fillColor + "|" + op.fillOpacity;
            (fills[key] = fills[key] || []).push(l);
          }
          if (op.stroke && op.weight > 0) {
            key = op.color + "|" + op.opacity + "|" + op.weight + "|" + (op.dashArray || "");
            (strokes[key] = strokes[key] || []).push(l);
          }
        }
        // rings are closed with a line back to their start, not closePath (which Chrome makes slow on a path
        // of thousands of rings), and at most CHUNK features go into one path
        var CHUNK = 500;
        function each(layers, draw) {
          for (var from = 0; from < layers.length; from += CHUNK) {
            ctx.beginPath();
            for (var i = from; i < Math.min(from + CHUNK, layers.length); i++) {
              var parts = layers[i]._parts;
              for (var j = 0; j < parts.length; j++) {
                var ring = parts[j];
                ctx.moveTo(ring[0].x, ring[0].y);
                for (var k = 1; k < ring.length; k++) { ctx.lineTo(ring[k].x, ring[k].y); }
                ctx.lineTo(ring[0].x, ring[0].y);
              }
            }
            draw();
          }
        }
        function fill() { ctx.fill("nonzero"); }
        function stroke() { ctx.stroke(); }
        for (key in fills) {
          op = fills[key][0].options;
          ctx.globalAlpha = op.fillOpacity;
          ctx.fillStyle = op.fillColor;
          each(fills[key], fill);
        }
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        for (key in strokes) {
          op = strokes[key][0].options;
          ctx.setLineDash(op._dashArray || []);
          ctx.globalAlpha = op.opacity;
          ctx.lineWidth = op.weight;
          ctx.strokeStyle = op.color;
          each(strokes[key], stroke);
        }
        var self = this;
        for (var f = 0; f < front.length; f++) {
          each([front[f]], function () { self._fillStroke(ctx, front[f]); });
        }
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
      }
    });
  }

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }

  // sinergi.i18n.fmt_num of a value given as the integer of its digits (n = value x 10^d, already rounded
  // by the server): "1.234,5" (id) or "1,234.5" (en); -0 (a negative value rounded to zero) keeps its sign.
  function fmtDigits(n, d, lang) {
    var neg = n < 0 || Object.is(n, -0);
    var s = String(Math.abs(n));
    while (s.length <= d) { s = "0" + s; }
    var whole = s.slice(0, s.length - d).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "en" ? "," : ".");
    return (neg ? "-" : "") + whole + (d > 0 ? (lang === "en" ? "." : ",") + s.slice(s.length - d) : "");
  }

  function Choropleth(map, opts) {
    this.map = map;
    this.opts = opts;
    this.labels = opts.labels;
    this.weight = opts.weight;
    this.colors = [];
    this.noData = "#cccccc";
    this.classLabels = [];
    this.data = null;        // the classes in use ({c})
    this.details = null;     // the tooltips' details of those classes ({v, r, k}), once fetched
    this.detailsUrl = "";
    this.codes = null;       // region codes and names by index
    this.names = null;
    this.index = null;       // kode -> index
    this.selected = "";
    this.hovered = -1;
    this._want = null;       // the colours asked for last (a later request wins)
    this.tip = L.tooltip({direction: "top", offset: [0, -6], className: "sd-tooltip"});
  }

  Choropleth.prototype = {
    /* The colours: {url (classes), tip (details), colors, noData, classLabels}. */
    setData: function (spec) {
      var self = this;
      this._want = spec.url;
      return getJSON(spec.url).then(function (data) {
        if (self._want !== spec.url) { return; }
        self.colors = spec.colors;
        self.noData = spec.noData;
        self.classLabels = spec.classLabels || [];
        self.detailsUrl = spec.tip || "";
        self.details = null;
        var previous = self.data;
        self.data = data;
        if (previous) { self.restyle(previous); } else { self.maybeDraw(); }
        if (self.hovered >= 0) { self.showTip(self.hovered); }
      });
    },

    /* What a tooltip needs beyond the classes, fetched once per colouring (and names, for tiles). */
    needTip: function () {
      var self = this, url = this.detailsUrl;
      if (url && !this.details && this._fetching !== url) {
        this._fetching = url;
        getJSON(url).then(function (d) {
          if (self.detailsUrl !== url) { return; }
          self.details = d;
          if (self.hovered >= 0) { self.showTip(self.hovered); }
        });
      }
      this.needNames();
    },

    needNames: function () {},

    showTip: function () {},

    klass: function (i) {
      var c = this.data ? this.data.c[i] : -2;
      return c === undefined || c === null ? -2 : c;
    },

    style: function (i) {
      var c = this.klass(i);
      var sel = this.selected !== "" && this.codes && this.codes[i] === this.selected;
      var hover = i === this.hovered;
      var fill = c >= 0 ? this.colors[c] : this.noData, line = this.outline();
      if (!line && !sel && !hover) {
        // too many regions for outlines at this zoom: each is drawn in its own colour, edge included
        return {fill: true, stroke: true, fillColor: fill, fillOpacity: c >= 0 ? 0.85 : 0.55, color: fill,
                opacity: c >= 0 ? 0.85 : 0.55, weight: 0.6, dashArray: null};
      }
      return {
        fill: true, stroke: true,
        sdFront: sel || hover,  // drawn on top (tile maps draw the others in batches)
        fillColor: fill,
        fillOpacity: c >= 0 ? 0.85 : 0.55,
        color: sel || hover ? "#000000" : "#4a4a4a",
        opacity: sel || hover ? 1 : line.opacity,
        weight: sel ? 3.5 : (hover ? 2.5 : line.weight),
        dashArray: c >= 0 || sel ? null : "3 3"
      };
    },

    /* The regions' outline at the current zoom ({weight, opacity}), or null for none. */
    outline: function () { return {weight: this.weight, opacity: 1}; },

    valueText: function (i) {
      var v = this.details && this.details.v;
      if (!v) { return "…"; }
      if (Array.isArray(v)) { return v[i] === null || v[i] === undefined ? this.labels.no_data : v[i]; }
      var n = v["int"][i];  // the value's digits, rounded by the server (sinergi/maps.py scaled_integers)
      if (n === null || n === undefined) { return this.labels.no_data; }
      if (v.names) { return v.names[String(Math.round(n / Math.pow(10, v.d)))] || this.labels.no_data; }
      return fmtDigits(n, v.d, v.lang) + (v.unit || "");
    },

    rankText: function (i) {
      var r = this.details && this.details.r;
      if (!r) { return ""; }
      if (Array.isArray(r)) { return r[i] || ""; }
      var n = r.rank[i];
      return n === null || n === undefined ? "" : fmtDigits(n, 0, r.lang) + " / " + fmtDigits(r.of[i], 0, r.lang);
    },

    classText: function (i) {
      var k = this.details && this.details.k;
      if (k && k[i] !== null && k[i] !== undefined) { return k[i]; }
      var c = this.klass(i);
      return c >= 0 ? this.classLabels[c] : this.labels.no_data;
    },

    tipContent: function (i) {
      this.needTip();
      var box = document.createElement("div");
      box.className = "sd-tip";
      var head = document.createElement("b");
      head.textContent = this.names ? this.names[i] : "…";
      box.appendChild(head);
      var rows = [[this.labels.code, this.codes ? this.codes[i] : ""], [this.labels.value, this.valueText(i)],
                  [this.labels["class"], this.classText(i)]];
      var rank = this.rankText(i);
      if (rank) { rows.push([this.labels.rank, rank]); }
      rows.forEach(function (r) {
        var line = document.createElement("div");
        line.textContent = r[0] + ": " + r[1];
        box.appendChild(line);
      });
      return box;
    },

    setRegions: function (codes, names) {
      this.codes = codes;
      this.names = names || this.names;
      var index = {};
      for (var i = 0; i < codes.length; i++) { index[codes[i]] = i; }
      this.index = index;
      if (this.selected !== "") { this.select(this.selected); }
    },

    drawn: function () {
      if (window.sdDrawnAt) { return; }
      requestAnimationFrame(function () { window.sdDrawnAt = performance.timeOrigin + performance.now(); });
    },

    expose: function () {
      var self = this;
      window.sdChoropleth = this;
      window.sdSelect = function (kode, bounds) { self.select(kode, bounds); };
      window.sdSelected = function () { return self.selected; };
      window.sdCount = function () { return self.count(); };
    }
  };

  /* ---- regions as GeoJSON (small views) ------------------------------------------------------- */

  function GeoChoropleth(map, opts) {
    Choropleth.call(this, map, opts);
    var self = this;
    // Created (empty) at once: streamlit-folium attaches its click handler to the map's layers right after
    // this script, and a click on a region reaches it through this group.
    var layer = this.layer = L.geoJson(null, {
      renderer: L.canvas({padding: 0.5}),
      pane: opts.pane || "overlayPane",
      style: function (f) { return self.style(f.properties.i); },
      onEachFeature: function (f, l) {
        // Tooltip content is built on first hover: thousands of villages load faster.
        l.bindTooltip(function () { return self.tipContent(f.properties.i); }, {sticky: true, direction: "top"});
        l.on("mouseover", function (e) {
          self.hovered = f.properties.i;
          e.target.setStyle({weight: 2.5, color: "#000000"});
        });
        l.on("mouseout", function (e) {
          self.hovered = -1;
          layer.resetStyle(e.target);
        });
        l.on("click", function () { self.select(f.properties.kode); });
      }
    }).addTo(map);
    window.sdLayer = layer;
  }
  GeoChoropleth.prototype = Object.create(Choropleth.prototype);

  GeoChoropleth.prototype.load = function () {
    var self = this;
    return getJSON(this.opts.geometry).then(function (fc) {
      var codes = [], names = [];
      fc.features.forEach(function (f, i) {
        f.properties = f.properties || {};
        f.properties.i = i;
        codes.push(f.properties.kode);
        names.push(f.properties.nama);
      });
      self.setRegions(codes, names);
      self.fc = fc;
      self.maybeDraw();
    });
  };

  GeoChoropleth.prototype.maybeDraw = function () {
    if (this.filled || !this.fc || !this.data) { return; }
    this.filled = true;
    this.layer.addData(this.fc);
    if (this.selected !== "") { this.select(this.selected); }
    this.drawn();
  };

  GeoChoropleth.prototype.showTip = function (i) {
    this.layer.eachLayer(function (l) {
      if (l.feature.properties.i === i && l.isTooltipOpen()) { l.setTooltipContent(l.getTooltip()._content); }
    });
  };

  GeoChoropleth.prototype.restyle = function () {
    if (!this.filled) { this.maybeDraw(); return; }
    var layer = this.layer;
    layer.eachLayer(function (l) { layer.resetStyle(l); });
  };

  GeoChoropleth.prototype.select = function (kode) {
    var self = this;
    this.selected = kode || "";
    var layer = this.layer;
    layer.eachLayer(function (l) {
      layer.resetStyle(l);
      if (self.selected !== "" && l.feature.properties.kode === self.selected) { l.bringToFront(); }
    });
  };

  GeoChoropleth.prototype.count = function () { return this.layer.getLayers().length; };

  /* ---- regions as vector tiles (villages and kecamatan of the country or of a province) -------- */

  // An MVT decoder for what sinergi/tiles.py writes: one layer of polygons with an integer id each.
  function readVarint(buf, pos) {
    var result = 0, shift = 0, b;
    do {
      b = buf[pos.i++];
      result += (b & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (b & 0x80);
    return result;
  }

  function decodeTile(ab) {
    var buf = new Uint8Array(ab), pos = {i: 0}, out = {extent: 4096, features: []};
    function message(end, onField) {
      while (pos.i < end) {
        var key = readVarint(buf, pos), field = Math.floor(key / 8), wire = key & 7;
        if (wire === 0) { onField(field, readVarint(buf, pos), -1); }
        else if (wire === 2) {
          var n = readVarint(buf, pos), start = pos.i;
          onField(field, start, start + n);
          pos.i = start + n;
        } else if (wire === 5) { pos.i += 4; } else if (wire === 1) { pos.i += 8; }
        else { throw new Error("MVT: wire type " + wire); }
      }
    }
    message(buf.length, function (field, start, end) {
      if (field !== 3) { return; }
      pos.i = start;
      message(end, function (f, v, e) {
        if (f === 5) { out.extent = v; }
        else if (f === 2) {
          var feat = {id: 0, type: 0, cmds: null};
          pos.i = v;
          message(e, function (ff, vv, ee) {
            if (ff === 1) { feat.id = vv; }
            else if (ff === 3) { feat.type = vv; }
            else if (ff === 4) {
              var cmds = [];
              pos.i = vv;
              while (pos.i < ee) { cmds.push(readVarint(buf, pos)); }
              feat.cmds = cmds;
            }
          });
          out.features.push(feat);
        }
      });
    });
    return out;
  }

  // Rings of a feature's geometry commands in the tile's pixels: grid units scaled by 2^d and shifted (a tile
  // drawn above the highest zoom stored is cut from its ancestor, still vector: crisp at any zoom), then by
  // pixels per unit (px). One L.Point per vertex, used by VectorGrid's symbolizer as they are.
  function rings(cmds, scale, dx, dy, px) {
    var out = [], ring = null, x = 0, y = 0, i = 0;
    while (i < cmds.length) {
      var id = cmds[i] & 7, count = cmds[i] >> 3;
      i++;
      if (id === 1 || id === 2) {
        for (var k = 0; k < count; k++) {
          var a = cmds[i++], b = cmds[i++];
          x += (a >> 1) ^ -(a & 1);
          y += (b >> 1) ^ -(b & 1);
          if (id === 1) { ring = []; out.push(ring); }
          ring.push(new L.Point((x * scale - dx) * px, (y * scale - dy) * px));
        }
      }
    }
    return out;
  }

  function TileChoropleth(map, opts) {
    patchVectorGrid();
    Choropleth.call(this, map, opts);
    var self = this;
    this.cache = {};      // stored tiles, decoded (key -> promise)
    this.cacheKeys = [];
    this.ready = new Promise(function (resolve) { self._ready = resolve; });  // the first colours
    var zmax = opts.zmax;
    function lines() { return self.outlineKey(); }
    var Grid = L.VectorGrid.extend({
      // Opening a map sets its view several times (at once, beside the legend once it is drawn, again after
      // the frame's resize), and on each such reset Leaflet discards every tile and VectorGrid builds them all
      // again: the country's 85,000 villages were built two or three times before the first paint. A reset
      // that keeps the tiles' zoom and the outlines' style (the country opens between zooms 2.5 and 4.5, all
      // drawn from z4 tiles) keeps the tiles: they sit in their zoom's level, which Leaflet moves with the view.
      _invalidateAll: function () { this._sdReset = true; },
      _resetView: function (e) {
        if (this._sdReset) {
          this._sdReset = false;
          var z = Math.round(this._map.getZoom()), o = this.options;
          z = (o.maxZoom !== undefined && z > o.maxZoom) || (o.minZoom !== undefined && z < o.minZoom) ?
            undefined : this._clampZoom(z);
          if (z !== this._tileZoom || lines() !== this._sdLines) { L.GridLayer.prototype._invalidateAll.call(this); }
        }
        this._sdLines = lines();
        L.GridLayer.prototype._resetView.call(this, e);
      },
      // A tile is built here rather than by VectorGrid, for 85,000 villages at once: the regions of one class
      // share one style object (pathStyle) and one parent for their events. A tile discarded before its data
      // arrived is not built, and its end does not mark the tile that took its place as loaded (Leaflet finds
      // tiles by their coordinates: the layer's "load" came too early).
      createTile: function (coords, done) {
        var grid = this, key = this._tileCoordsToKey(coords);
        var tile = this.options.rendererFactory(coords, this.getTileSize(), this.options), el = tile.getContainer();
        function current() { return !!grid._map && !!grid._tiles[key] && grid._tiles[key].el === el; }
        tile._features = {};
        this._vectorTiles[key] = tile;
        this._dataLayerNames.w = true;
        this._getVectorTilePromise(coords, current).then(function (feats) {
          var lk = lines();
          for (var i = 0; i < feats.length; i++) {
            var layer = grid._createLayer(feats[i]);
            layer.render(tile, self.pathStyle(feats[i].id, lk));
            tile._addPath(layer);
            layer.makeInteractive();
            tile._features[feats[i].id] = {layerName: "w", feature: layer};
          }
          if (feats.length && grid._map) { tile.addTo(grid._map); }
          L.Util.requestAnimFrame(function () { if (current()) { done(null, el); } });
        });
        return el;
      },
      _getVectorTilePromise: function (coords, current) {
        var d = Math.max(0, coords.z - zmax), s = Math.pow(2, d);
        var ax = Math.floor(coords.x / s), ay = Math.floor(coords.y / s);
        var px = this.getTileSize().x;
        return Promise.all([self.stored(coords.z - d, ax, ay), self.ready]).then(function (got) {
          var t = got[0], e = t.extent, dx = (coords.x - ax * s) * e, dy = (coords.y - ay * s) * e, feats = [];
          if (current && !current()) { return feats; }  // discarded meanwhile
          t.features.forEach(function (f) {
            if (f.type !== 3 || self.klass(f.id) === -2) { return; }  // not part of this view
            feats.push({id: f.id, type: 3, properties: {fid: f.id}, geometry: [],
                        parts: rings(f.cmds, s, dx, dy, px / e)});
          });
          return feats;
        });
      },
      // the symbolizer gets the rings already in pixels (VectorGrid would copy and scale every vertex twice);
      // its events go to the grid through one parents object shared by every feature
      _createLayer: function (feat) {
        var layer = L.VectorGrid.prototype._createLayer.call(quiet, feat, 1);
        if (!this._sdParents) { this._sdParents = {}; this._sdParents[L.stamp(this)] = this; }
        layer._eventParents = this._sdParents;
        layer._parts = feat.parts;
        return layer;
      }
    });
    var quiet = {options: {interactive: false}};  // VectorGrid's _createLayer without a parent per feature
    // Created at once, like the GeoJSON layer (streamlit-folium attaches its click handler right after this
    // script); its tiles are drawn when the first colours have arrived.
    var grid = this.grid = new Grid({
      rendererFactory: L.canvas.tile,
      interactive: true,
      minNativeZoom: opts.zmin,
      bounds: opts.extent ? L.latLngBounds(opts.extent) : undefined,  // no tile asked for beyond the regions
      getFeatureId: function (f) { return f.id; },
      vectorTileLayerStyles: {w: function (p) { return self.style(p.fid); }},
      pane: opts.pane || "overlayPane"
    });
    grid.on("mouseover", function (e) { self.hover(e.layer.properties.fid, e.latlng); });
    grid.on("mousemove", function (e) {
      if (e.layer && e.layer.properties.fid === self.hovered) { self.map.openTooltip(self.tip, e.latlng); }
    });
    grid.on("mouseout", function () { self.hover(-1); });
    grid.on("click", function (e) {
      var kode = self.codes ? self.codes[e.layer.properties.fid] : undefined;
      // streamlit-folium reads the clicked feature with toGeoJSON(), which tile features lack
      e.layer.toGeoJSON = function () { return {type: "Feature", properties: {kode: kode}, geometry: null}; };
      if (kode !== undefined) { self.select(kode); }
    });
    grid.once("load", function () { self.drawn(); });
    grid.addTo(map);
    window.sdLayer = grid;
  }
  TileChoropleth.prototype = Object.create(Choropleth.prototype);

  TileChoropleth.prototype.load = function () {
    var self = this;
    // codes in feature-id order, as runs under their parent: {induk: [...], n: [...], akhir: [...]}
    return getJSON(this.opts.codes).then(function (f) {
      var codes = [], j = 0;
      for (var p = 0; p < f.induk.length; p++) {
        for (var k = 0; k < f.n[p]; k++) { codes.push(f.induk[p] + "." + f.akhir[j++]); }
      }
      self.setRegions(codes, null);
    });
  };

  TileChoropleth.prototype.needNames = function () {
    var self = this;
    if (this.names || this._namesAsked) { return; }
    this._namesAsked = true;
    getJSON(this.opts.names).then(function (f) {
      self.names = f.nama;
      if (self.hovered >= 0) { self.showTip(self.hovered); }
    });
  };

  TileChoropleth.prototype.showTip = function (fid) {
    this.tip.setContent(this.tipContent(fid));
  };

  TileChoropleth.prototype.outlineKey = function () {
    var o = this.outline();
    return o ? o.weight + "/" + o.opacity : "";
  };

  TileChoropleth.prototype.outline = function () {
    // thousands of grey outlines at national zoom would be a dark net over the colours
    var z = this.map.getZoom();
    if (z >= 9) { return {weight: this.weight, opacity: 1}; }
    return z >= 7 ? {weight: 0.4, opacity: 0.6} : null;
  };

  // A feature's path options (Leaflet's defaults and style()). The regions of one class that are neither
  // hovered nor selected share one object, made once per colouring and outline style (lk, see outline).
  TileChoropleth.prototype.pathStyle = function (fid, lk) {
    if (fid === this.hovered || (this.selected !== "" && this.codes && this.codes[fid] === this.selected)) {
      return L.extend({}, L.Path.prototype.options, this.style(fid));
    }
    if (this._stylesOf !== this.data) { this._styles = {}; this._stylesOf = this.data; }
    var key = this.klass(fid) + "|" + lk;
    return this._styles[key] || (this._styles[key] = L.extend({}, L.Path.prototype.options, this.style(fid)));
  };

  TileChoropleth.prototype.stored = function (z, x, y) {
    var key = z + "/" + x + "/" + y;
    if (!this.cache[key]) {
      var url = L.Util.template(this.opts.tiles, {z: z, x: x, y: y});
      this.cache[key] = fetch(url, {credentials: "same-origin"}).then(function (r) {
        return r.ok ? r.arrayBuffer() : null;
      }).then(function (ab) { return ab && ab.byteLength ? decodeTile(ab) : {extent: 4096, features: []}; });
      this.cacheKeys.push(key);
      if (this.cacheKeys.length > 256) { delete this.cache[this.cacheKeys.shift()]; }
    }
    return this.cache[key];
  };

  TileChoropleth.prototype.maybeDraw = function () {
    if (this.data) { this._ready(); }
  };

  TileChoropleth.prototype.eachFeature = function (fid, fn) {
    var tiles = this.grid._vectorTiles;
    for (var key in tiles) {
      var found = tiles[key]._features && tiles[key]._features[fid];
      if (found) { fn(found.feature, tiles[key]); }
    }
  };

  TileChoropleth.prototype.refresh = function (fid) {
    if (fid === undefined || fid < 0) { return; }
    var style = L.extend({}, L.Path.prototype.options, this.style(fid));
    var front = fid === this.hovered || (this.codes && this.codes[fid] === this.selected);
    this.eachFeature(fid, function (feat, tile) {
      feat.updateStyle(tile, style);
      if (front) { tile._bringToFront(feat); }
    });
  };

  TileChoropleth.prototype.hover = function (fid, latlng) {
    var old = this.hovered;
    this.hovered = fid;
    this.refresh(old);
    if (fid >= 0) {
      this.refresh(fid);
      this.showTip(fid);
      if (latlng) { this.map.openTooltip(this.tip, latlng); }
    } else {
      this.map.closeTooltip(this.tip);
    }
  };

  TileChoropleth.prototype.restyle = function (previous) {
    var c = this.data.c, old = previous && previous.c;
    if (old) {
      for (var i = 0; i < c.length; i++) {
        if ((c[i] === -2) !== (old[i] === -2)) { this.grid.redraw(); return; }  // other regions shown
      }
    }
    var tiles = this.grid._vectorTiles, lk = this.outlineKey();
    for (var key in tiles) {
      var feats = tiles[key]._features;
      for (var fid in feats) { feats[fid].feature.updateStyle(tiles[key], this.pathStyle(+fid, lk)); }
    }
  };

  TileChoropleth.prototype.select = function (kode, bounds) {
    var old = this.index && this.selected !== "" ? this.index[this.selected] : undefined;
    // tiles hold pieces of a region, never its whole geometry: its bounds come from the server with the
    // selection (kept while the same region stays selected, e.g. after a click answered by the page)
    if ((kode || "") !== this.selected) { this.selectedBox = null; }
    if (bounds) { this.selectedBox = L.latLngBounds(bounds); }
    this.selected = kode || "";
    this.refresh(old);
    this.refresh(this.index && this.selected !== "" ? this.index[this.selected] : undefined);
  };

  TileChoropleth.prototype.count = function () {
    var seen = {}, n = 0, tiles = this.grid._vectorTiles;
    for (var key in tiles) {
      for (var fid in tiles[key]._features) {
        if (!seen[fid]) { seen[fid] = true; n++; }
      }
    }
    return n;
  };

  /* ---- the view: the regions fitted beside the legend, at the frame's size -------------------- */

  // The map's frame is sized by the page (sinergi/ui/styles.py) to the screen: on every resize the map is
  // fitted again to its regions (or, once the user has moved it, keeps the selected region in sight). The
  // fit leaves the legend's corner free: the side (right or bottom) that costs the least zoom.
  var view = {map: null, bounds: null, legend: null, userMoved: false, fitting: false, frame: 0};
  var MARGIN = 12;

  function legendSize(map) {
    var box = view.legend && view.legend.getContainer();
    if (!box || !box.offsetWidth) { return {x: 0, y: 0}; }
    var m = map.getContainer().getBoundingClientRect(), r = box.getBoundingClientRect();
    return {x: Math.max(0, m.right - r.left), y: Math.max(0, m.bottom - r.top)};
  }

  function fit() {
    var map = view.map;
    if (!map || !view.bounds) { return; }
    var size = map.getSize();
    if (!size.x || !size.y) { return; }
    var b = L.latLngBounds(view.bounds), lg = legendSize(map), tl = L.point(MARGIN, MARGIN);
    var best = {z: -Infinity, br: tl};  // no room beside the legend: the regions fill the map
    [L.point(MARGIN + lg.x, MARGIN), L.point(MARGIN, MARGIN + lg.y)].forEach(function (br) {
      var room = size.subtract(tl).subtract(br);
      if (room.x < 40 || room.y < 40) { return; }
      var z = map.getBoundsZoom(b, false, tl.add(br));
      if (isFinite(z) && z > best.z) { best = {z: z, br: br}; }
    });
    view.fitting = true;
    try {
      map.fitBounds(b, {paddingTopLeft: tl, paddingBottomRight: best.br, animate: false});
    } finally {
      view.fitting = false;
    }
  }

  // The selected region's bounds, or null: a GeoJSON map's from its layer, a tile map's as the server sent
  // them with the selection (tiles hold no whole geometry).
  function selectedBounds() {
    var layer = window.sdCurrent, found = null;
    if (!layer || !layer.selected) { return null; }
    if (!layer.layer) { return layer.selectedBox || null; }
    layer.layer.eachLayer(function (l) {
      if (l.feature && l.feature.properties.kode === layer.selected) { found = l.getBounds(); }
    });
    return found;
  }

  function resized() {
    var map = view.map;
    view.frame = 0;
    map.invalidateSize({pan: false});
    if (!view.userMoved) { fit(); return; }
    var sel = selectedBounds();
    if (sel && !map.getBounds().contains(sel)) {
      view.fitting = true;
      try { map.panTo(sel.getCenter(), {animate: false}); } finally { view.fitting = false; }
    }
  }

  function home(map, bounds) {
    view.map = map;
    view.bounds = bounds;
    // Leaflet's own resize handling would pan the map (and look like the user's move): done here instead
    L.DomEvent.off(window, "resize", map._onResize, map);
    window.addEventListener("resize", function () {
      if (!view.frame) { view.frame = requestAnimationFrame(resized); }
    });
    map.on("movestart zoomstart", function () { if (!view.fitting) { view.userMoved = true; } });
    fit();
  }

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (content !== undefined) { el.textContent = content; }
    return el;
  }

  // The legend on the map (a Leaflet control: a screenshot of the map carries it). spec: {title, rows:
  // [[colour, label, count]], noData: [label, count], note}; every text set as text, never as HTML.
  function setLegend(spec) {
    var map = view.map || (window.sdCurrent && window.sdCurrent.map);
    if (!map) { return; }
    if (!view.legend) {
      view.legend = L.control({position: "bottomright"});
      view.legend.onAdd = function () {
        var box = L.DomUtil.create("div", "sd-map-legend");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      };
      view.legend.addTo(map);
      // its size settles once leaflet.css (loaded after this script) and the fonts apply: fitted again then
      if (window.ResizeObserver) {
        new ResizeObserver(function () { if (!view.userMoved) { fit(); } }).observe(view.legend.getContainer());
      }
    }
    var box = view.legend.getContainer();
    box.textContent = "";
    if (!spec) { box.style.display = "none"; fit(); return; }
    box.style.display = "";
    box.appendChild(text("div", "sd-lg-title", spec.title));
    var rows = (spec.rows || []).slice();
    if (spec.noData) { rows.push([null, spec.noData[0], spec.noData[1]]); }
    rows.forEach(function (r) {
      var row = text("div", "sd-lg-row"), sw = text("span", r[0] === null ? "sd-sw sd-nd" : "sd-sw");
      if (r[0] !== null) { sw.style.background = r[0]; }
      row.appendChild(sw);
      row.appendChild(text("span", "", r[1]));
      if (r[2] !== undefined && r[2] !== null && r[2] !== "") { row.appendChild(text("span", "sd-lg-n", "(" + r[2] + ")")); }
      box.appendChild(row);
    });
    if (spec.note) { box.appendChild(text("div", "sd-lg-note", spec.note)); }
    if (!view.userMoved) { fit(); }
  }

  /* ---- entry points used by the map scripts (sinergi/maps.py) ----------------------------------- */

  window.SD = {
    fmtDigits: fmtDigits,
    decodeTile: decodeTile,
    /* The map's view: fitted to `bounds` now and after every resize (see fit). */
    home: home,
    fit: fit,
    /* The legend on the map (null: none). */
    legend: setLegend,
    /* A choropleth on `map`: opts {kind: "geojson"|"tiles", geometry | tiles+features+zmin+zmax, labels,
       weight, pane, selected}; returns the layer object (its colours come with setData). */
    choropleth: function (map, opts) {
      var layer = opts.kind === "tiles" ? new TileChoropleth(map, opts) : new GeoChoropleth(map, opts);
      layer.selected = opts.selected || "";
      layer.expose();
      layer.load();
      window.sdCurrent = layer;
      return layer;
    },
    /* Colours for the frame's choropleth (from the map script, or from a streamlit-folium feature group
       when only the colours change: the map, its zoom and its tiles stay). */
    setData: function (spec) {
      var layer = window.sdCurrent;
      return layer ? layer.setData(spec) : Promise.resolve();
    }
  };
})();
