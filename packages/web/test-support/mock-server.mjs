// Throw-away stand-in for the Mianzheng server, for checking the web UI before the
// real server exists. NOT the server: in-memory, no validation beyond what the UI
// exercises. Serves ../dist with an SPA fallback and the /api contract subset.
//   node packages/web/test-support/mock-server.mjs [port]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? process.env.PORT ?? 8090);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

const regions = [
  ['340000', '安徽省', 'province', null],
  ['340500', '马鞍山市', 'city', '340000'],
  ['340503', '花山区', 'district', '340500'],
  ['340504', '雨山区', 'district', '340500'],
  ['340700', '铜陵市', 'city', '340000'],
  ['340705', '铜官区', 'district', '340700'],
  ['341000', '黄山市', 'city', '340000'],
  ['341700', '池州市', 'city', '340000'],
].map(([code, name, level, parentCode]) => ({ code, name, level, parentCode }));
const regionName = (code) => regions.find((r) => r.code === code)?.name ?? code;

const departments = [
  ['d-mas-ga', '11340500003185498L', '马鞍山市公安局', '340500', '公安'],
  ['d-mas-mz', '11340500003185412X', '马鞍山市民政局', '340500', '民政'],
  ['d-mas-rs', '113405000031854553', '马鞍山市人力资源和社会保障局', '340500', '人社'],
  ['d-mas-sf', '11340500003185471H', '马鞍山市司法局', '340500', '司法'],
  ['d-mas-jy', '11340500003185439E', '马鞍山市教育局', '340500', '教育'],
  ['d-tl-ga', '11340700003137542B', '铜陵市公安局', '340700', '公安'],
].map(([id, code, name, regionCode, category]) => ({ id, code, name, regionCode, category }));
const deptName = (id) => departments.find((d) => d.id === id)?.name ?? id;

const users = {
  citizen: { id: 'u1', username: 'citizen', displayName: '张三', kind: 'person', roles: ['applicant'] },
  clerk: { id: 'u4', username: 'clerk', displayName: '李窗口', kind: 'staff', roles: ['clerk'], departmentId: 'd-mas-ga', departmentName: '马鞍山市公安局', regionCode: '340500' },
  catalogadmin: { id: 'u6', username: 'catalogadmin', displayName: '王清单', kind: 'staff', roles: ['catalog_admin'], departmentId: 'd-mas-sf', departmentName: '马鞍山市司法局', regionCode: '340500' },
};
const sessions = new Map();

let seq = 100;
const item = (name, dept, methods, legalBasis, extra = {}) => ({
  id: `p${++seq}`, name, issuingDepartmentId: dept, issuingDepartmentName: deptName(dept), regionCode: '340500',
  legalBasis, methods, notes: extra.notes ?? null, riskCategory: null, commitment: extra.commitment ?? null,
});
let draft = [
  item('无犯罪记录证明', 'd-mas-ga', ['dept_verification', 'commitment'], '《公安机关办理犯罪记录查询工作规定》(公通字〔2021〕19号)第二条', {
    commitment: { conditions: '申请人本人无犯罪记录', consequence: '虚假承诺将记入信用记录,并撤销已作出的决定', postCheck: { samplingRate: 0.1, withinDays: 90 } },
  }),
  item('婚姻状况证明', 'd-mas-mz', ['data_sharing', 'commitment'], '《婚姻登记条例》第五条', {
    commitment: { conditions: '婚姻状况信息真实', consequence: '承担相应法律责任', postCheck: { samplingRate: 0.05, withinDays: 60 } },
  }),
  item('户籍证明', 'd-mas-ga', ['e_license'], '《中华人民共和国户口登记条例》第四条'),
  item('社保参保缴费证明', 'd-mas-rs', ['online_issue', 'data_sharing'], '《中华人民共和国社会保险法》第七十四条'),
  item('健在证明', 'd-mas-rs', ['cancelled'], '', { notes: '以人脸识别替代' }),
  item('学历证明', 'd-mas-jy', ['data_sharing', 'commitment'], '《中华人民共和国教育法》第二十二条'),
  item('律师执业证明原件', 'd-mas-sf', ['retained'], '《中华人民共和国律师法》第六条'),
];
const services = [
  { code: '340500-GA-001', name: '出租汽车驾驶员从业资格证核发', departmentId: 'd-mas-ga', regionCode: '340500', materials: [['无犯罪记录证明'], ['户籍证明'], ['机动车驾驶证复印件', null]] },
  { code: '340500-SF-003', name: '律师执业许可', departmentId: 'd-mas-sf', regionCode: '340500', materials: [['无犯罪记录证明'], ['学历证明'], ['律师执业证明原件'], ['申请书', null]] },
  { code: '340500-MZ-010', name: '最低生活保障申请', departmentId: 'd-mas-mz', regionCode: '340500', materials: [['婚姻状况证明'], ['户籍证明'], ['社保参保缴费证明'], ['健在证明']] },
];
const versions = [];
function publish(note, by) {
  const number = versions.length + 1;
  versions.push({ number, publishedAt: new Date(Date.now() - (3 - number) * 86400000).toISOString(), publishedBy: by, note, items: structuredClone(draft) });
  return versions.at(-1);
}
publish('首次发布:马鞍山市证明事项免提交清单', '王清单');
draft = draft.map((p) => (p.name === '婚姻状况证明' ? { ...p, methods: ['data_sharing'] } : p));
draft.push(item('居民养犬证明', 'd-mas-ga', ['data_sharing'], '《马鞍山市养犬管理条例》第十条'));
publish('调整婚姻状况证明方式,新增居民养犬证明', '王清单');
draft = structuredClone(versions.at(-1).items);

const versionInfo = (v) => ({
  number: v.number, publishedAt: v.publishedAt, publishedBy: v.publishedBy, note: v.note,
  proofItemCount: v.items.length, serviceItemCount: services.length,
});
function changelog(a, b) {
  const before = new Map(a.map((p) => [p.id, p]));
  const after = new Map(b.map((p) => [p.id, p]));
  const side = (p) => ({ methods: p.methods, legalBasis: p.legalBasis });
  const entries = [];
  for (const p of b) {
    const old = before.get(p.id);
    const base = { proofItemId: p.id, name: p.name, issuingDepartmentName: p.issuingDepartmentName };
    if (!old) entries.push({ kind: 'added', ...base, after: side(p) });
    else if (old.methods.join() !== p.methods.join()) entries.push({ kind: 'method_changed', ...base, before: side(old), after: side(p) });
    else if (old.legalBasis !== p.legalBasis) entries.push({ kind: 'legal_basis_changed', ...base, before: side(old), after: side(p) });
    else if (JSON.stringify(old) !== JSON.stringify(p)) entries.push({ kind: 'changed', ...base, before: side(old), after: side(p) });
  }
  for (const p of a) if (!after.has(p.id)) entries.push({ kind: 'removed', proofItemId: p.id, name: p.name, issuingDepartmentName: p.issuingDepartmentName, before: side(p) });
  return entries;
}

const labels = { cancelled: '直接取消', data_sharing: '数据共享', e_license: '电子证照', dept_verification: '部门核验', commitment: '告知承诺', online_issue: '在线开具', retained: '保留' };
function materialsOf(service, items) {
  return service.materials.map(([name, link], i) => {
    const p = link === null ? undefined : items.find((x) => x.name === name);
    const method = p ? p.methods[0] : 'retained';
    const mustProvide = method === 'retained';
    const dept = p?.issuingDepartmentName;
    const explanation = !p ? '请提交此材料。'
      : method === 'cancelled' ? '该证明已取消,您无需提交。'
      : method === 'data_sharing' ? `无需提交 — 我们将通过数据共享向${dept}获取。`
      : method === 'e_license' ? '无需提交 — 经您授权,我们将调用您的电子证照。'
      : method === 'dept_verification' ? `无需提交 — 我们将向${dept}发起部门核验。`
      : method === 'online_issue' ? '无需提交 — 系统将在线获取。'
      : method === 'commitment' ? '无需提交 — 您签署告知承诺书即可。' : '依法仍需您提交此材料。';
    return {
      id: `${service.code}-m${i + 1}`, name, proofItemId: p?.id ?? null, proofItemName: p?.name ?? null, mustProvide,
      method, methods: p?.methods ?? ['retained'], legalBasis: p?.legalBasis ?? '', issuingDepartmentName: dept ?? null,
      explanation, explanationEn: `(${labels[method]}) ${mustProvide ? 'Please submit it.' : 'You need not submit it.'}`,
    };
  });
}

function fail(res, status, code, message, messageEn, field, details) {
  json(res, status, { error: { code, message, messageEn, ...(field ? { field } : {}), ...(details ? { details } : {}) } });
}
function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
function userOf(req) {
  const sid = /(?:^|;\s*)mz_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  return sid ? sessions.get(sid) : undefined;
}
async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}
function pick(v, url) {
  const n = url.searchParams.get('version');
  if (!versions.length) return undefined;
  return n ? versions.find((x) => x.number === Number(n)) : versions.at(-1);
}
function paginate(list, url) {
  const page = Number(url.searchParams.get('page') ?? 1);
  const pageSize = Number(url.searchParams.get('pageSize') ?? 20);
  return { total: list.length, page, pageSize, items: list.slice((page - 1) * pageSize, page * pageSize) };
}
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') { if (c === '\r' && text[i + 1] === '\n') i++; row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((x) => x.trim()));
}
const methodByLabel = Object.fromEntries(Object.entries(labels).map(([k, v]) => [v, k]));

async function api(req, res, url) {
  const path = url.pathname;
  const user = userOf(req);
  const needAdmin = () => {
    if (!user) { fail(res, 401, 'AUTH.UNAUTHENTICATED', '请先登录', 'Please log in'); return false; }
    if (!user.roles.includes('catalog_admin')) { fail(res, 403, 'AUTH.FORBIDDEN', '无权操作', 'Forbidden'); return false; }
    return true;
  };
  if (path === '/api/health') return json(res, 200, { status: 'ok', database: 'pglite', version: 'mock' });
  if (path === '/api/v1/auth/login' && req.method === 'POST') {
    const { username, password } = JSON.parse((await readBody(req)).toString() || '{}');
    const u = users[username];
    if (!u || password !== 'Demo@2026') return fail(res, 401, 'AUTH.INVALID_CREDENTIALS', '用户名或密码错误', 'Wrong username or password');
    const sid = randomUUID();
    sessions.set(sid, u);
    res.setHeader('set-cookie', `mz_session=${sid}; HttpOnly; Path=/; SameSite=Lax`);
    return json(res, 200, { token: sid, user: u });
  }
  if (path === '/api/v1/auth/logout') { res.setHeader('set-cookie', 'mz_session=; Path=/; Max-Age=0'); res.writeHead(204); return res.end(); }
  if (path === '/api/v1/auth/me') return user ? json(res, 200, user) : fail(res, 401, 'AUTH.UNAUTHENTICATED', '未登录', 'Not logged in');
  if (path === '/api/v1/regions') return json(res, 200, { items: regions });
  if (path === '/api/v1/departments') {
    const r = url.searchParams.get('region');
    return json(res, 200, { items: departments.filter((d) => !r || d.regionCode === r || d.regionCode.startsWith(r.replace(/0+$/, ''))) });
  }
  const published = pick(null, url);
  const versionRef = published && { number: published.number, publishedAt: published.publishedAt };
  const summary = (p) => ({
    id: p.id, name: p.name, issuingDepartment: { id: p.issuingDepartmentId, name: p.issuingDepartmentName }, regionCode: p.regionCode,
    regionName: regionName(p.regionCode), legalBasis: p.legalBasis, methods: p.methods, notes: p.notes,
    serviceItemCount: services.filter((s) => s.materials.some(([n, l]) => l !== null && n === p.name)).length,
  });
  if (path === '/api/v1/proof-items' || path === '/api/v1/service-items' || /^\/api\/v1\/(proof|service)-items\//.test(path)) {
    if (!published) return fail(res, 404, 'CATALOG.NOT_PUBLISHED', '清单尚未发布', 'Nothing published yet');
  }
  if (path === '/api/v1/proof-items') {
    const q = url.searchParams.get('q') ?? '', m = url.searchParams.get('method'), d = url.searchParams.get('department');
    const list = published.items.filter((p) => (!q || p.name.includes(q)) && (!m || p.methods.includes(m)) && (!d || p.issuingDepartmentId === d));
    return json(res, 200, { version: versionRef, ...paginate(list.map(summary), url) });
  }
  let m;
  if ((m = /^\/api\/v1\/proof-items\/([^/]+)$/.exec(path))) {
    const p = published.items.find((x) => x.id === decodeURIComponent(m[1]));
    if (!p) return fail(res, 404, 'CATALOG.PROOF_ITEM_NOT_FOUND', '证明事项不存在', 'Proof item not found');
    const serviceItems = services.filter((s) => s.materials.some(([n, l]) => l !== null && n === p.name))
      .map((s) => ({ code: s.code, name: s.name, departmentName: deptName(s.departmentId), regionName: regionName(s.regionCode) }));
    return json(res, 200, { ...summary(p), commitment: p.commitment ?? undefined, serviceItems, version: versionRef });
  }
  const serviceSummary = (s) => {
    const mats = materialsOf(s, published.items);
    return { code: s.code, name: s.name, department: { id: s.departmentId, name: deptName(s.departmentId) }, regionCode: s.regionCode, regionName: regionName(s.regionCode), materialCount: mats.length, proofFreeCount: mats.filter((x) => !x.mustProvide).length };
  };
  if (path === '/api/v1/service-items') {
    const q = url.searchParams.get('q') ?? '';
    const list = services.filter((s) => !q || s.name.includes(q) || s.materials.some(([n]) => n.includes(q)));
    return json(res, 200, { version: versionRef, ...paginate(list.map(serviceSummary), url) });
  }
  if ((m = /^\/api\/v1\/service-items\/([^/]+)$/.exec(path))) {
    const s = services.find((x) => x.code === decodeURIComponent(m[1]));
    if (!s) return fail(res, 404, 'CATALOG.SERVICE_ITEM_NOT_FOUND', '事项不存在', 'Service item not found');
    return json(res, 200, { ...serviceSummary(s), version: versionRef, materials: materialsOf(s, published.items) });
  }
  if (path === '/api/v1/catalog/versions') return json(res, 200, { items: versions.map(versionInfo) });
  if (path === '/api/v1/catalog/changelog') {
    const from = versions.find((v) => v.number === Number(url.searchParams.get('from')));
    const to = versions.find((v) => v.number === Number(url.searchParams.get('to')));
    if (!from || !to) return fail(res, 404, 'CATALOG.VERSION_NOT_FOUND', '版本不存在', 'Version not found');
    return json(res, 200, { from: from.number, to: to.number, entries: changelog(from.items, to.items) });
  }
  if ((m = /^\/api\/v1\/catalog\/versions\/(\d+)\/export\.xlsx$/.exec(path))) {
    res.writeHead(200, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': `attachment; filename="catalog-v${m[1]}.xlsx"` });
    return res.end('mock');
  }
  if (path === '/api/v1/admin/catalog/draft') {
    if (!needAdmin()) return;
    return json(res, 200, { basedOn: versions.at(-1)?.number ?? null, proofItems: draft, pendingChanges: changelog(versions.at(-1)?.items ?? [], draft) });
  }
  if (path === '/api/v1/admin/catalog/proof-items' && req.method === 'POST') {
    if (!needAdmin()) return;
    const body = JSON.parse((await readBody(req)).toString());
    if (body.methods?.includes('retained') && !body.legalBasis) return fail(res, 422, 'CATALOG.LEGAL_BASIS_REQUIRED', '保留的证明事项必须有设定依据', 'A retained proof needs a legal basis', 'legalBasis');
    const p = { ...item(body.name, body.issuingDepartmentId, body.methods, body.legalBasis ?? ''), regionCode: body.regionCode, notes: body.notes ?? null, commitment: body.commitment ?? null };
    draft.push(p);
    return json(res, 201, p);
  }
  if ((m = /^\/api\/v1\/admin\/catalog\/proof-items\/([^/]+)$/.exec(path))) {
    if (!needAdmin()) return;
    const idx = draft.findIndex((p) => p.id === m[1]);
    if (idx < 0) return fail(res, 404, 'CATALOG.PROOF_ITEM_NOT_FOUND', '证明事项不存在', 'Not found');
    if (req.method === 'DELETE') { draft.splice(idx, 1); res.writeHead(204); return res.end(); }
    const body = JSON.parse((await readBody(req)).toString());
    const next = { ...draft[idx], ...body };
    if (next.methods.includes('retained') && !next.legalBasis) return fail(res, 422, 'CATALOG.LEGAL_BASIS_REQUIRED', '保留的证明事项必须有设定依据', 'A retained proof needs a legal basis', 'legalBasis');
    next.issuingDepartmentName = deptName(next.issuingDepartmentId);
    draft[idx] = next;
    return json(res, 200, next);
  }
  if (path === '/api/v1/admin/catalog/import' && req.method === 'POST') {
    if (!needAdmin()) return;
    const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] }, body: await readBody(req) }).formData();
    const file = form.get('file');
    if (!file || typeof file === 'string') return fail(res, 400, 'CATALOG.IMPORT_FILE_REQUIRED', '请上传文件', 'File required', 'file');
    const rows = parseCsv((await file.text()).replace(/^\uFEFF/, ''));
    const header = rows.shift() ?? [];
    const col = (name) => header.indexOf(name);
    const errors = [];
    const parsed = rows.map((r, i) => {
      const row = i + 2;
      const get = (name) => (r[col(name)] ?? '').trim();
      const methods = get('免提交方式').split(/[|、]/).map((x) => x.trim()).filter(Boolean).map((x) => methodByLabel[x] ?? x);
      const dept = departments.find((d) => d.name === get('开具部门'));
      if (!get('证明事项名称')) errors.push({ row, column: '证明事项名称', reason: '证明事项名称不能为空', reasonEn: 'Name is required', code: 'CATALOG.NAME_REQUIRED' });
      if (!dept) errors.push({ row, column: '开具部门', reason: `未知部门:${get('开具部门')}`, reasonEn: 'Unknown department', code: 'CATALOG.DEPARTMENT_UNKNOWN' });
      if (methods.includes('retained') && !get('设定依据')) errors.push({ row, column: '设定依据', reason: '保留的证明事项必须有设定依据', reasonEn: 'A retained proof needs a legal basis', code: 'CATALOG.LEGAL_BASIS_REQUIRED' });
      return { name: get('证明事项名称'), dept, regionCode: get('行政区划代码') || '340500', legalBasis: get('设定依据'), methods, notes: get('备注') || null };
    });
    if (errors.length) return fail(res, 422, 'CATALOG.IMPORT_INVALID', `导入文件有 ${errors.length} 处错误`, `${errors.length} errors in the file`, undefined, { errors });
    let created = 0, updated = 0, unchanged = 0;
    for (const p of parsed) {
      const existing = draft.find((x) => x.name === p.name && x.issuingDepartmentId === p.dept.id);
      if (!existing) { draft.push({ ...item(p.name, p.dept.id, p.methods, p.legalBasis), regionCode: p.regionCode, notes: p.notes }); created++; }
      else if (existing.methods.join() === p.methods.join() && existing.legalBasis === p.legalBasis) unchanged++;
      else { Object.assign(existing, { methods: p.methods, legalBasis: p.legalBasis }); updated++; }
    }
    return json(res, 200, { created, updated, unchanged, total: parsed.length });
  }
  if (path === '/api/v1/admin/catalog/publish' && req.method === 'POST') {
    if (!needAdmin()) return;
    const { note } = JSON.parse((await readBody(req)).toString() || '{}');
    if (!changelog(versions.at(-1)?.items ?? [], draft).length) return fail(res, 409, 'CATALOG.NOTHING_TO_PUBLISH', '草稿没有变化,无需发布', 'Nothing to publish');
    const v = publish(note, user.displayName);
    v.publishedAt = new Date().toISOString();
    return json(res, 201, versionInfo(v));
  }
  return fail(res, 404, 'HTTP.NOT_FOUND', '接口不存在', 'No such endpoint');
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
async function serveStatic(res, pathname) {
  const file = normalize(join(dist, decodeURIComponent(pathname)));
  const inside = file.startsWith(dist);
  const isFile = inside && (await stat(file).catch(() => null))?.isFile();
  const target = isFile ? file : join(dist, 'index.html');
  res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' });
  res.end(await readFile(target));
}

createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  try {
    if (url.pathname.startsWith('/api')) await api(req, res, url);
    else await serveStatic(res, url.pathname);
  } catch (error) {
    console.error(error);
    fail(res, 500, 'INTERNAL', '服务器内部错误', 'Internal error');
  }
}).listen(port, '127.0.0.1', () => console.log(`mock on http://127.0.0.1:${port}`));
