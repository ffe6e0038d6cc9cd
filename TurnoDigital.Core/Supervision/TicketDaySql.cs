#pragma warning disable EF1003 // only the constant SQL fragments below are concatenated; every value goes as a parameter
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Supervision;

/// <summary>
/// Raw SQL for the day's wait and service-time figures. EF cannot translate DateTime subtraction on SQLite,
/// so the seconds between two instants come from <see cref="SqlDialect"/>; everything else is portable SQL with quoted
/// identifiers (window functions exist on SQLite ≥ 3.25, SQL Server and PostgreSQL).
/// </summary>
static class TicketDaySql
{
    internal sealed class SumRow
    {
        public string Channel { get; set; } = "";
        public int ServiceId { get; set; }
        public int Visitors { get; set; }
        public int Segments { get; set; }
        public int CalledVisits { get; set; }
        public int Called { get; set; }
        public double WaitSum { get; set; }
        public int Served { get; set; }
        /// <summary>Served visits with a service time (not those closed by the system).</summary>
        public int ServedTimed { get; set; }
        public int ServiceTimed { get; set; }
        public double ServiceSum { get; set; }
        public int Ratings { get; set; }
        public double RatingSum { get; set; }
    }

    internal sealed class P90Row
    {
        public string Part { get; set; } = "";
        public string Channel { get; set; } = "";
        public int ServiceId { get; set; }
        public double Wait { get; set; }
    }

    internal sealed class BucketRow
    {
        public int Bucket { get; set; }
        public int Count { get; set; }
    }

    /// <summary>Upper bounds (minutes) of the wait distribution buckets; the last bucket is open-ended.</summary>
    internal static readonly int[] BucketBounds = [5, 10, 15, 20, 30, 45, 60];

    /// <summary>
    /// The day's visit segments of a branch (people in line or seen; remote tickets not yet arrived excluded): a ticket's current
    /// segment (Visit = 1, it carries the visit's outcome and rating) and its closed ones (a transfer or a reactivated no-show ends
    /// a segment; KPI-DEFINITIONS "transfer"). Wait = the segment's first call − its start (due time in the first segment, the
    /// transfer after; never below 0), Svc = its service time (completed or transferred − started). Parameters: {0} branch id, {1} service day.
    /// </summary>
    static string Day(TurnoDbContext db)
    {
        var sql = SqlDialect.For(db.Database);
        const string from = "COALESCE(t.\"SegmentFrom\", t.\"DueAt\")", called = "(CASE WHEN t.\"Segment\" = 1 THEN t.\"FirstCalledAt\" ELSE t.\"SegmentCalledAt\" END)";
        return $$"""
        WITH v AS (
          SELECT t."Id" AS "TicketId", t."Channel" AS "Channel", t."ServiceId" AS "ServiceId", 1 AS "Visit",
            CASE WHEN t."FirstCalledAt" IS NULL THEN 0 ELSE 1 END AS "VisitCalled",
            CASE WHEN t."Status" = 'Completed' THEN 1 ELSE 0 END AS "Completed",
            CASE WHEN {{called}} IS NULL THEN NULL WHEN {{called}} <= {{from}} THEN 0.0
                 ELSE {{sql.Seconds(called, from)}} END AS "Wait",
            CASE WHEN t."Status" = 'Completed' AND t."ClosedBySystem" = {{sql.False}} AND t."StartedAt" IS NOT NULL AND t."ClosedAt" IS NOT NULL
                 THEN {{sql.Seconds("t.\"ClosedAt\"", "t.\"StartedAt\"")}} END AS "Svc",
            CAST(t."Rating" AS float) AS "Rating"
          FROM "Tickets" t
          WHERE t."BranchId" = {0} AND t."ServiceDay" = {1} AND t."Status" <> 'Remote'
          UNION ALL
          SELECT t."Id", t."Channel", g."ServiceId", 0, 0, 0,
            CASE WHEN g."CalledAt" IS NULL THEN NULL WHEN g."CalledAt" <= g."WaitFrom" THEN 0.0
                 ELSE {{sql.Seconds("g.\"CalledAt\"", "g.\"WaitFrom\"")}} END,
            CASE WHEN g."StartedAt" IS NOT NULL THEN {{sql.Seconds("g.\"EndedAt\"", "g.\"StartedAt\"")}} END,
            NULL
          FROM "TicketSegments" g INNER JOIN "Tickets" t ON t."Id" = g."TicketId"
          WHERE t."BranchId" = {0} AND t."ServiceDay" = {1}),
        w AS (SELECT "Channel", "TicketId", SUM("Wait") AS "Wait" FROM v WHERE "Wait" IS NOT NULL GROUP BY "Channel", "TicketId")
        """;
    }

    /// <summary>
    /// Per channel × service: visits and their outcomes once per visit (Visit rows), waits and service times per segment.
    /// A channel's averages add a visit's segments up (CalledVisits, ServedVisits); a service's use its segments (Called, ServiceTimed).
    /// </summary>
    internal static Task<List<SumRow>> SumsAsync(TurnoDbContext db, int branchId, DateOnly day, CancellationToken ct) =>
        db.Database.SqlQueryRaw<SumRow>(Day(db) + """
            SELECT "Channel", "ServiceId", SUM("Visit") AS "Visitors", COUNT(*) AS "Segments", SUM("VisitCalled") AS "CalledVisits",
              COUNT("Wait") AS "Called", COALESCE(SUM("Wait"), 0.0) AS "WaitSum",
              SUM("Completed") AS "Served", SUM(CASE WHEN "Completed" = 1 AND "Svc" IS NOT NULL THEN 1 ELSE 0 END) AS "ServedTimed",
              COUNT("Svc") AS "ServiceTimed", COALESCE(SUM("Svc"), 0.0) AS "ServiceSum",
              COUNT("Rating") AS "Ratings", COALESCE(SUM("Rating"), 0.0) AS "RatingSum"
            FROM v GROUP BY "Channel", "ServiceId"
            """, branchId, day).ToListAsync(ct);

    /// <summary>
    /// Nearest-rank p90 (the value at rank ⌈0.9·n⌉ of the sorted waits): per service over its segments' waits, per channel and
    /// overall over visits' waits (a visit's segments added up).
    /// </summary>
    internal static Task<List<P90Row>> P90Async(TurnoDbContext db, int branchId, DateOnly day, CancellationToken ct) =>
        db.Database.SqlQueryRaw<P90Row>(Day(db) + """
            , r AS (
              SELECT "Channel", "Wait",
                ROW_NUMBER() OVER (PARTITION BY "Channel" ORDER BY "Wait") AS "RnC", COUNT(*) OVER (PARTITION BY "Channel") AS "NC",
                ROW_NUMBER() OVER (ORDER BY "Wait") AS "RnA", COUNT(*) OVER () AS "NA"
              FROM w),
            rs AS (
              SELECT "ServiceId", "Wait", ROW_NUMBER() OVER (PARTITION BY "ServiceId" ORDER BY "Wait") AS "RnS", COUNT(*) OVER (PARTITION BY "ServiceId") AS "NS"
              FROM v WHERE "Wait" IS NOT NULL)
            SELECT 'C' AS "Part", "Channel", 0 AS "ServiceId", "Wait" FROM r WHERE "RnC" = (9 * "NC" + 9) / 10
            UNION ALL SELECT 'S' AS "Part", '' AS "Channel", "ServiceId", "Wait" FROM rs WHERE "RnS" = (9 * "NS" + 9) / 10
            UNION ALL SELECT 'A' AS "Part", '' AS "Channel", 0 AS "ServiceId", "Wait" FROM r WHERE "RnA" = (9 * "NA" + 9) / 10
            """, branchId, day).ToListAsync(ct);

    internal static Task<List<BucketRow>> BucketsAsync(TurnoDbContext db, int branchId, DateOnly day, CancellationToken ct)
    {
        var cases = string.Join(" ", BucketBounds.Select((b, i) => $"WHEN \"Wait\" < {b * 60} THEN {i}"));
        var bucket = $"CASE {cases} ELSE {BucketBounds.Length} END";
        return db.Database.SqlQueryRaw<BucketRow>(Day(db) + $"""
            SELECT {bucket} AS "Bucket", COUNT(*) AS "Count" FROM w GROUP BY {bucket}
            """, branchId, day).ToListAsync(ct);
    }
}
