import { Type } from 'typebox';
import { ROLES } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { PageNumber, requireActor, responses, type App } from '../../shared/http.ts';
import { containsPattern } from '../../shared/like.ts';

const Item = Type.Object({
  id: Type.String(), kind: Type.String(), title: Type.String({ description: 'zh-CN' }), body: Type.String({ description: 'zh-CN' }),
  titleEn: Type.Union([Type.String(), Type.Null()], { description: 'English; null for a notice written before English was kept (show title)' }),
  bodyEn: Type.Union([Type.String(), Type.Null()], { description: 'English; null for a notice written before English was kept (show body)' }),
  link: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), read: Type.Boolean(),
});

export function notificationRoutes(app: App): void {
  app.get('/api/v1/me/notifications', {
    config: { roles: ROLES },
    schema: {
      tags: ['notifications'], summary: '我的消息 In-app notifications, newest first, a page at a time; each in zh-CN (title, body) and English (titleEn, bodyEn)',
      querystring: Type.Object({
        unread: Type.Optional(Type.Boolean()),
        applicationId: Type.Optional(Type.String({ format: 'uuid', description: 'only those about this application: linking to it, or naming its reference number' })),
        page: PageNumber, limit: Type.Integer({ minimum: 1, maximum: 100, default: 30, description: 'page size' }),
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ unread: Type.Integer(), total: Type.Integer({ description: 'notifications matching the filters' }), items: Type.Array(Item) }) }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { unread, applicationId, page, limit } = request.query;
    const db = app.deps.db;
    let q = db.selectFrom('notifications').where('recipient_account_id', '=', actor.id);
    if (unread) q = q.where('read_at', 'is', null);
    if (applicationId) {
      // the recipient's own notices only, so the reference number looked up here discloses nothing
      const ref = (await db.selectFrom('applications').select('ref').where('id', '=', applicationId).executeTakeFirst())?.ref;
      q = q.where((eb) => eb.or([
        eb('link', '=', `/applications/${applicationId}`),
        ...(ref ? [eb('title', 'like', containsPattern(ref)), eb('body', 'like', containsPattern(ref))] : []),
      ]));
    }
    const [rows, total, unreadCount] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset((page - 1) * limit).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('recipient_account_id', '=', actor.id).where('read_at', 'is', null).executeTakeFirstOrThrow(),
    ]);
    return {
      unread: Number(unreadCount.n), total: Number(total.n),
      items: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, titleEn: r.title_en, bodyEn: r.body_en, link: r.link, createdAt: new Date(r.created_at).toISOString(), read: r.read_at !== null })),
    };
  });

  app.post('/api/v1/me/notifications/:id/read', {
    config: { roles: ROLES },
    schema: {
      tags: ['notifications'], summary: '标记已读 Mark one notification read',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: responses({ 200: Type.Object({ ok: Type.Boolean() }) }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    const r = await app.deps.db.updateTable('notifications').set({ read_at: app.deps.now() }).where('id', '=', request.params.id).where('recipient_account_id', '=', actor.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new AppError('NOTIFICATION.NOT_FOUND', { field: 'id' });
    return { ok: true };
  });
}
