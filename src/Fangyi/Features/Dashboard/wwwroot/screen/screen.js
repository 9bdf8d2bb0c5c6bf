// The command big screen: watches one round and division over the dashboard hub, applies the pushed deltas,
// drills down on click (down to a village) with the browser's Back going up a level, and says plainly when it is
// not live. Numbers missing from a view are not counted by any capability yet: they show as "—", never as zero;
// a share of nothing (no residents, no checks) is "—" too, never 0 % or 100 %.
(() => {
    'use strict';

    const M = {
        residents: 'residents', people: 'sampling.people', samples: 'sampling.samples', perTen: 'sampling.per_10min',
        negative: 'results.negative', positive: 'results.positive', mixed: 'results.mixed_positive', invalid: 'results.invalid',
        backlog: 'lab.backlog_people', checks: 'checkpoint.checks', nonGreen: 'checkpoint.non_green', perMinute: 'checkpoint.per_minute',
        devices: 'devices.online',
    };
    const TUBES = [['open', '采样中'], ['sealed', '已封管'], ['boxed', '已装箱'], ['received', '已接收'], ['resulted', '已出结果']];
    const BOXES = [['open', '采样中'], ['sealed', '已封箱'], ['in_transit', '转运中'], ['received', '已接收'], ['testing', '检测中']];
    const LEVEL_CHILDREN = { province: '各市', city: '各区县', county: '各乡镇（街道）', township: '各村（社区）', village: '' };

    const home = Number(document.body.dataset.home);
    const params = new URLSearchParams(location.search);
    const state = {
        round: Number(params.get('round')) || null,
        division: Number(params.get('division')) || home,
        view: null,
        watching: false,
        pending: [],
        live: false,
    };

    const $ = (selector) => document.querySelector(selector);
    const fmt = new Intl.NumberFormat('zh-CN');
    const has = (numbers, key) => numbers && Object.prototype.hasOwnProperty.call(numbers, key);
    const whole = (numbers, key) => has(numbers, key) ? fmt.format(numbers[key]) : '—';
    const coverage = (n) => has(n, M.people) && has(n, M.residents) && n[M.residents] > 0 ? n[M.people] * 100 / n[M.residents] : null;
    const percent = (v) => v === null ? '—' : v.toFixed(1) + '%';
    const unsampled = (n) => has(n, M.people) && has(n, M.residents) ? fmt.format(Math.max(0, n[M.residents] - n[M.people])) : '—';
    // Sizes drawn for 1920×1080 follow the rem, as the page's CSS does.
    const px = (size) => size * parseFloat(getComputedStyle(document.documentElement).fontSize) / 16;
    const resulted = (n) => [M.negative, M.positive, M.mixed, M.invalid].every(k => has(n, k))
        ? n[M.negative] + n[M.positive] + n[M.mixed] + n[M.invalid] : null;

    function setTile(id, text) {
        const value = document.querySelector(`#${id} .value`);
        if (value.textContent !== text) {
            value.textContent = text;
            const tile = value.parentElement;
            tile.classList.remove('flash');
            void tile.offsetWidth;
            tile.classList.add('flash');
        }
    }

    // Charts: ECharts' dark theme on a transparent background.
    const charts = {};
    function chart(id) {
        if (!charts[id]) {
            charts[id] = echarts.init(document.getElementById(id), 'dark', { renderer: 'canvas' });
        }
        return charts[id];
    }
    const base = () => ({ backgroundColor: 'transparent', textStyle: { fontFamily: 'Noto Sans CJK SC, sans-serif', fontSize: px(15) }, animationDuration: 300 });

    function render() {
        const view = state.view;
        if (!view) {
            return;
        }
        const n = view.here.numbers;
        document.title = `指挥大屏 · ${view.here.place.name}`;
        $('#place').textContent = view.path.map(p => p.name).join('');

        // Breadcrumb: from the account's own division down to the one shown; every step but the last drills back up.
        const crumbs = $('#crumbs');
        crumbs.replaceChildren();
        view.path.forEach((p, i) => {
            if (i > 0) {
                crumbs.append(Object.assign(document.createElement('span'), { className: 'sep', textContent: '›' }));
            }
            const last = i === view.path.length - 1;
            const link = Object.assign(document.createElement(last ? 'span' : 'a'), { textContent: p.name });
            link.dataset.division = p.code;
            if (last) {
                link.className = 'current';
            } else {
                link.href = '#';
                link.addEventListener('click', (e) => { e.preventDefault(); drill(p.code); });
            }
            crumbs.append(link);
        });

        const cov = coverage(n);
        setTile('tile-coverage', percent(cov));
        $('#coverage-sub').textContent = `${view.round.name}`;
        setTile('tile-unsampled', unsampled(n));
        setTile('tile-people', whole(n, M.people));
        setTile('tile-residents', whole(n, M.residents));
        setTile('tile-samples', whole(n, M.samples));
        setTile('tile-resulted', resulted(n) === null ? '—' : fmt.format(resulted(n)));
        setTile('tile-positive', whole(n, M.positive));
        setTile('tile-mixed', whole(n, M.mixed));
        setTile('tile-backlog', whole(n, M.backlog));
        setTile('tile-backlog-tubes', whole(n, 'tubes.received'));

        // Checkpoint tiles light up once a capability counts checks; until then they say so.
        const perMinute = view.series[M.perMinute];
        const counted = has(n, M.checks);
        setTile('tile-checks', perMinute ? lastFullBucket(perMinute) : '—');
        setTile('tile-nongreen', counted && has(n, M.nonGreen) && n[M.checks] > 0 ? (n[M.nonGreen] * 100 / n[M.checks]).toFixed(1) + '%' : '—');
        setTile('tile-devices', whole(n, M.devices));
        $('#checkpoint-note').hidden = counted;

        for (const row of document.querySelectorAll('#turnaround tbody tr')) {
            const key = row.dataset.key;
            const cells = row.querySelectorAll('td');
            const minutes = (v) => v < 10 ? v.toFixed(1) : v.toFixed(0);
            cells[0].textContent = has(n, key + '.p50') ? minutes(n[key + '.p50']) : '—';
            cells[1].textContent = has(n, key + '.p90') ? minutes(n[key + '.p90']) : '—';
            cells[2].textContent = whole(n, key + '.count');
        }

        const childLabel = LEVEL_CHILDREN[view.here.place.level] ?? '下级区划';
        $('#children-title').textContent = view.children.length ? `${childLabel}` : `${view.here.place.name}（村级）：未采 ${unsampled(n)} 人`;
        renderChildren(view);
        renderProgress(view);
        renderTrend(view);
        renderCustody(n);
        renderResults(n);
    }

    function lastFullBucket(series) {
        const now = Date.now();
        const bucket = Math.floor(now / series.width) - 1 - series.from;
        return bucket >= 0 && bucket < series.values.length ? fmt.format(series.values[bucket]) : '0';
    }

    function renderChildren(view) {
        const body = $('#children tbody');
        // A village shows its own row: it has no divisions below it.
        const here = !view.children.length;
        const rows = (here ? [view.here] : view.children).map(c => {
            const tr = document.createElement('tr');
            tr.dataset.division = c.place.code;
            const cells = [c.place.name, whole(c.numbers, M.residents), whole(c.numbers, M.people), percent(coverage(c.numbers)), unsampled(c.numbers), whole(c.numbers, M.backlog), whole(c.numbers, M.positive)];
            cells.forEach((text, i) => tr.append(Object.assign(document.createElement('td'), { textContent: text, className: i === 0 ? 'name' : '' })));
            if (here) {
                tr.classList.add('here');
            } else {
                tr.addEventListener('click', () => drill(c.place.code));
            }
            return tr;
        });
        body.replaceChildren(...rows);
    }

    // More bars than fit are the divisions furthest behind: where a commander sends help first.
    const MAX_BARS = 24;

    function renderProgress(view) {
        let nodes = view.children.length ? view.children : [view.here];
        const many = nodes.length > MAX_BARS;
        if (many) {
            const peopled = nodes.filter(c => (c.numbers[M.residents] ?? 0) > 0)
                .sort((a, b) => (coverage(a.numbers) ?? 0) - (coverage(b.numbers) ?? 0));
            nodes = (peopled.length ? peopled : nodes).slice(0, MAX_BARS);
        }
        const childLabel = LEVEL_CHILDREN[view.here.place.level] ?? '下级区划';
        $('#progress-title').textContent = !view.children.length ? `${view.here.place.name} 采样进度`
            : many ? `${childLabel}采样进度：覆盖率最低的${nodes.length}个（已采人数 / 实有人口）` : `${childLabel}采样进度（已采人数 / 实有人口）`;
        const names = nodes.map(c => c.place.name);
        const values = nodes.map(c => { const v = coverage(c.numbers); return v === null ? 0 : Math.round(v * 10) / 10; });
        const c = chart('chart-progress');
        c.setOption({
            ...base(),
            grid: { left: px(10), right: px(70), top: px(6), bottom: px(6), containLabel: true },
            tooltip: {
                trigger: 'axis', axisPointer: { type: 'shadow' },
                formatter: (items) => {
                    const node = nodes[items[0].dataIndex];
                    return `${node.place.name}<br>已采 ${whole(node.numbers, M.people)} / 实有 ${whole(node.numbers, M.residents)}<br>覆盖率 ${percent(coverage(node.numbers))}`;
                },
            },
            xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', color: '#7f97b5', fontSize: px(15) }, splitLine: { lineStyle: { color: '#16365c' } } },
            yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: '#d9e6f5', fontSize: px(names.length > 24 ? 12 : 16) } },
            series: [{
                type: 'bar', data: values, barMaxWidth: px(26),
                itemStyle: { color: new echarts.graphic.LinearGradient(0, 0, 1, 0, [{ offset: 0, color: '#1565c0' }, { offset: 1, color: '#37c3ff' }]) },
                label: { show: true, position: 'right', formatter: (p) => percent(coverage(nodes[p.dataIndex].numbers)), color: '#fff', fontSize: px(14) },
                showBackground: true, backgroundStyle: { color: 'rgba(55,195,255,0.06)' },
            }],
        }, { replaceMerge: ['series', 'yAxis'] });
        c.off('click');
        c.on('click', (e) => {
            const node = nodes[e.dataIndex];
            if (node && node !== view.here) {
                drill(node.place.code);
            }
        });
    }

    function renderTrend(view) {
        const s = view.series[M.perTen];
        const points = [];
        if (s) {
            for (let i = 0; i < s.values.length; i++) {
                points.push([(s.from + i) * s.width, s.values[i]]);
            }
        }
        chart('chart-trend').setOption({
            ...base(),
            grid: { left: px(10), right: px(24), top: px(16), bottom: px(6), containLabel: true },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'time', min: view.round.startsAt, max: Math.min(view.round.endsAt, Math.max(Date.now(), points.length ? points[points.length - 1][0] : 0)), axisLabel: { color: '#7f97b5', fontSize: px(15) }, splitLine: { show: false } },
            yAxis: { type: 'value', axisLabel: { color: '#7f97b5', fontSize: px(15) }, splitLine: { lineStyle: { color: '#16365c' } } },
            series: [{ name: '采样人次', type: 'bar', data: points, barMaxWidth: px(14), itemStyle: { color: '#3ddc97' } }],
        });
    }

    function renderCustody(n) {
        const value = (prefix, key) => has(n, prefix + key) ? n[prefix + key] : 0;
        chart('chart-custody').setOption({
            ...base(),
            grid: { left: px(10), right: px(16), top: px(34), bottom: px(6), containLabel: true },
            legend: { top: 0, textStyle: { color: '#d9e6f5', fontSize: px(15) } },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'category', data: ['采样中', '已封', '装箱/转运', '已接收', '出结果/检测'], axisLabel: { color: '#d9e6f5', fontSize: px(13), interval: 0 } },
            yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#7f97b5', fontSize: px(15) }, splitLine: { lineStyle: { color: '#16365c' } } },
            series: [
                { name: '试管', type: 'bar', data: TUBES.map(([k]) => value('tubes.', k)), itemStyle: { color: '#37c3ff' }, label: { show: true, position: 'top', color: '#fff', fontSize: px(13) } },
                { name: '转运箱', type: 'bar', data: BOXES.map(([k]) => value('boxes.', k)), itemStyle: { color: '#ffb547' }, label: { show: true, position: 'top', color: '#fff', fontSize: px(13) } },
            ],
        });
    }

    function renderResults(n) {
        const parts = [[M.negative, '阴性', '#3ddc97'], [M.mixed, '混管阳性待复核', '#ffb547'], [M.positive, '阳性', '#ff5b5b'], [M.invalid, '样本无效', '#7f97b5']];
        const data = parts.map(([key, name, color]) => ({ name, value: has(n, key) ? n[key] : 0, itemStyle: { color } }));
        const none = data.every(d => !d.value);
        chart('chart-results').setOption({
            ...base(),
            title: { show: none, text: '暂无检测结果', left: '35%', top: 'middle', textAlign: 'center', textStyle: { color: '#7f97b5', fontSize: px(18), fontWeight: 'normal' } },
            tooltip: { trigger: 'item' },
            legend: { orient: 'vertical', right: px(10), top: 'middle', textStyle: { color: '#d9e6f5', fontSize: px(15) } },
            series: [{
                type: 'pie', radius: ['45%', '75%'], center: ['35%', '50%'], showEmptyCircle: false,
                label: { show: true, formatter: '{c}', color: '#fff', fontSize: px(15) },
                data: data.filter(d => d.value > 0),
            }],
        });
    }

    let frame = 0;
    function scheduleRender() {
        if (!frame) {
            frame = requestAnimationFrame(() => { frame = 0; render(); });
        }
    }

    // Deltas carry absolute values: applying one twice, or an older one before a newer, ends where it should.
    function apply(delta) {
        const view = state.view;
        if (!view || delta.round !== view.round.id || delta.division !== view.here.place.code) {
            return;
        }
        for (const node of delta.nodes) {
            const target = node.code === view.here.place.code ? view.here : view.children.find(c => c.place.code === node.code);
            if (!target) {
                continue;
            }
            Object.assign(target.numbers, node.numbers);
            if (node.series && target === view.here) {
                for (const [name, change] of Object.entries(node.series)) {
                    mergeSeries(view, name, change);
                }
            }
        }
        scheduleRender();
    }

    function mergeSeries(view, name, change) {
        const s = view.series[name] ?? { from: change.from, width: change.width, values: [] };
        if (!s.values.length) {
            s.from = change.from;
        }
        if (change.from < s.from) {
            s.values = new Array(s.from - change.from).fill(0).concat(s.values);
            s.from = change.from;
        }
        change.values.forEach((v, i) => { s.values[change.from - s.from + i] = v; });
        for (let i = 0; i < s.values.length; i++) {
            s.values[i] ??= 0;
        }
        view.series[name] = s;
    }

    const connection = new signalR.HubConnectionBuilder()
        .withUrl('/hubs/dashboard')
        // Never give up: a wall display is left alone for hours.
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(5000, 500 * (ctx.previousRetryCount + 1)) })
        .build();
    connection.on('delta', (delta) => {
        if (state.watching) {
            state.pending.push(delta);
        } else {
            apply(delta);
        }
    });
    connection.onreconnecting(() => setLive(false));
    connection.onreconnected(() => { setLive(true); watch(state.division); });

    // A drill (a row, a bar, a breadcrumb) is a step in the browser's history: Back goes up one level, Forward down again.
    function drill(division) {
        return watch(division, { push: true });
    }
    window.addEventListener('popstate', () => {
        const division = Number(new URLSearchParams(location.search).get('division')) || home;
        watch(division);
    });
    connection.onclose(() => { setLive(false); setTimeout(start, 1000); });

    function setLive(live) {
        state.live = live;
        $('#banner').hidden = live;
        document.body.classList.toggle('offline', !live);
        const badge = $('#live');
        badge.textContent = live ? '实时' : '断开 · 重连中';
        badge.className = 'live ' + (live ? 'on' : 'off');
    }

    async function watch(division, { push = false } = {}) {
        if (connection.state !== signalR.HubConnectionState.Connected || !state.round) {
            state.division = division;
            return;
        }
        state.watching = true;
        state.pending = [];
        try {
            const view = await connection.invoke('Watch', state.round, division);
            state.view = view;
            state.division = view.here.place.code;
            for (const delta of state.pending) {
                apply(delta);
            }
            const query = `?round=${state.round}&division=${state.division}`;
            if (query !== location.search) {
                if (push) {
                    history.pushState(null, '', query);
                } else {
                    history.replaceState(null, '', query);
                }
            }
            $('#export').href = `/api/v1/dashboard/export${query}`;
            $('#daily').href = `/screen/daily${query}`;
            render();
        } catch (error) {
            console.error(error);
            if (division !== home) {
                state.watching = false;
                return watch(home);
            }
        } finally {
            state.watching = false;
            state.pending = [];
        }
    }

    async function start() {
        if (connection.state !== signalR.HubConnectionState.Disconnected) {
            return;
        }
        try {
            await connection.start();
            setLive(true);
            await watch(state.division);
        } catch {
            setLive(false);
            setTimeout(start, 2000);
        }
    }

    async function loadRounds() {
        const select = $('#round');
        try {
            const response = await fetch('/api/v1/sampling/rounds', { headers: { Accept: 'application/json' } });
            const rounds = response.ok ? await response.json() : [];
            select.replaceChildren(...rounds.map(r => Object.assign(document.createElement('option'), { value: r.id, textContent: r.name })));
            if (!rounds.length) {
                select.append(Object.assign(document.createElement('option'), { value: '', textContent: '暂无采样轮次' }));
            }
            if (!state.round || !rounds.some(r => r.id === state.round)) {
                state.round = rounds.length ? rounds[0].id : null;
            }
            select.value = state.round ?? '';
        } catch {
            setTimeout(loadRounds, 3000);
        }
    }

    $('#round').addEventListener('change', (e) => {
        state.round = Number(e.target.value) || null;
        watch(state.division);
    });

    function tick() {
        $('#clock').textContent = new Date().toLocaleString('zh-CN', { hour12: false });
    }
    setInterval(tick, 1000);
    tick();
    // A new size is a new rem: the charts are drawn again with their sizes.
    window.addEventListener('resize', () => { Object.values(charts).forEach(c => c.resize()); scheduleRender(); });

    setLive(false);
    loadRounds().then(start);
})();
