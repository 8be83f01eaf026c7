import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './_context.ts'
import { jsonBodyLimit } from './_middleware.ts'
import type { RouteEntry } from './_route.ts'
import { announcementPage } from './announcement-page.ts'
import { batchRoutes } from './batches/index.ts'
import { candidateRoutes } from './candidates/index.ts'
import { occupationRoutes } from './occupations/index.ts'

/**
 * Bodies larger than the API's JSON limit: a desk registration carries a photo and attachments (base64),
 * an import the CSV file itself (docs/import-format.md allows 20,000,000 bytes). app.ts skips its JSON
 * limit for these paths; lifecycleRoutes puts these limits on them instead.
 */
const UPLOADS: ReadonlyArray<{ route: string; path: RegExp; maxBytes: number }> = [
  { route: '/api/batches/:id/candidates/import', path: /^\/api\/batches\/[^/]+\/candidates\/import$/, maxBytes: 20_100_000 },
  { route: '/api/batches/:id/candidates', path: /^\/api\/batches\/[^/]+\/candidates$/, maxBytes: 12_000_000 },
  { route: '/api/candidates/:id/photo', path: /^\/api\/candidates\/[^/]+\/photo$/, maxBytes: 3_000_000 },
  // The theory score file (docs/score-import-format.md: 5,000,000 bytes), routes in http/scores.
  { route: '/api/batches/:id/scores/theory-import', path: /^\/api\/batches\/[^/]+\/scores\/theory-import$/, maxBytes: 5_100_000 },
]

/** True for the upload paths above (app.ts: their own body limit instead of the JSON one). */
export const isLifecycleUpload = (path: string): boolean => UPLOADS.some((u) => u.path.test(path))

/** The CSV import takes `text/csv`, not JSON (app.ts: exempt from jsonOnly; the handler checks its type). */
export const isCsvImport = (path: string): boolean => UPLOADS[0]!.path.test(path) || UPLOADS[3]!.path.test(path)

/** Occupations, calendar, batch plans, announcements, registration, review and fees. */
export function lifecycleRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  for (const u of UPLOADS) app.use(u.route, jsonBodyLimit(u.maxBytes))
  occupationRoutes(app, table)
  batchRoutes(app, table)
  candidateRoutes(app, table)
  announcementPage(app)
}
