/** An app with the statistics service and routes, as the lead wires them in app.ts (Services.statistics). */
import type { CustodyApp } from '../server/app.ts'
import { StatisticsReads } from '../server/db/read-models/statistics.ts'
import { Statistics, type StatisticsSources } from '../server/services/statistics.ts'

export function withStatistics(custody: CustodyApp, sources: StatisticsSources): Statistics {
  const services = custody.services
  services.statistics = new Statistics(new StatisticsReads(custody.services.db), sources)
  return services.statistics
}
