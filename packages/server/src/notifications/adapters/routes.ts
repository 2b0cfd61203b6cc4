import { Type } from 'typebox';
import { ROLES } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { requireActor, responses, type App } from '../../shared/http.ts';

const Item = Type.Object({ id: Type.String(), kind: Type.String(), title: Type.String(), body: Type.String(), link: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), read: Type.Boolean() });

export function notificationRoutes(app: App): void {
  app.get('/api/v1/me/notifications', {
    config: { roles: ROLES },
    schema: {
      tags: ['notifications'], summary: '我的消息 In-app notifications, newest first',
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 100, default: 30 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ unread: Type.Integer(), items: Type.Array(Item) }) }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    let q = app.deps.db.selectFrom('notifications').selectAll().where('recipient_account_id', '=', actor.id);
    if (request.query.unread) q = q.where('read_at', 'is', null);
    const [rows, unread] = await Promise.all([
      q.orderBy('created_at', 'desc').limit(request.query.limit).execute(),
      app.deps.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('recipient_account_id', '=', actor.id).where('read_at', 'is', null).executeTakeFirstOrThrow(),
    ]);
    return {
      unread: Number(unread.n),
      items: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: new Date(r.created_at).toISOString(), read: r.read_at !== null })),
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
