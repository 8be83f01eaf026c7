import type { OpenAPIHono } from '@hono/zod-openapi'
import { html, raw } from 'hono/html'
import type { AppEnv } from './_context.ts'
import { type RouteEntry, describeAccess } from './_route.ts'

/** /api/docs: a readable, script-free rendering of the route table; the full schema is /api/openapi.json. */
export function docsRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  app.get('/api/docs', (c) => {
    const rows = table.map(
      (r) => html`<tr><td><code>${r.method}</code></td><td><code>${r.path}</code></td><td>${r.summary}</td><td>${describeAccess(r.access)}</td></tr>`,
    )
    return c.html(html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Custody API 接口文档</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main class="page"><h1>Custody API 接口文档 / API reference</h1>
<p>机器可读的 OpenAPI 3.1 文档：<a href="/api/openapi.json">/api/openapi.json</a>. State-changing requests need the session cookie (<code>POST /api/session</code>) and an <code>Origin</code> header naming this server.
Errors are JSON: <code>{"error":{"code","message","messageEn"}}</code>.</p>
<table class="grid"><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Who may call</th></tr></thead><tbody>${raw(rows.join(''))}</tbody></table>
</main></body></html>`)
  })
}
