namespace TurnoDigital.Core.Persistence;

/// <summary>
/// Fills the KPI seconds (<see cref="Queueing.Ticket.WaitSeconds"/>, ServiceSeconds, VisitWaitSeconds and the segments' own) of rows
/// written before the transitions stored them, from their timestamps; the migration that adds the columns runs it once.
/// </summary>
static class KpiSecondsBackfill
{
    public static string Sql(string? provider)
    {
        var d = SqlDialect.ForProvider(provider);
        // The current segment waits from COALESCE(SegmentFrom, DueAt) to its first call (FirstCalledAt in the first segment).
        const string called = "(CASE WHEN \"Segment\" = 1 THEN \"FirstCalledAt\" ELSE \"SegmentCalledAt\" END)";
        return $"""
            UPDATE "TicketSegments" SET
              "WaitSeconds" = CASE WHEN "CalledAt" IS NOT NULL THEN {d.WholeSeconds("\"CalledAt\"", "\"WaitFrom\"")} END,
              "ServiceSeconds" = CASE WHEN "StartedAt" IS NOT NULL THEN {d.WholeSeconds("\"EndedAt\"", "\"StartedAt\"")} END;
            UPDATE "Tickets" SET
              "WaitSeconds" = CASE WHEN {called} IS NOT NULL THEN {d.WholeSeconds(called, "COALESCE(\"SegmentFrom\", \"DueAt\")")} END,
              "ServiceSeconds" = CASE WHEN "Status" = 'Completed' AND "ClosedBySystem" = {d.False} AND "StartedAt" IS NOT NULL AND "ClosedAt" IS NOT NULL
                THEN {d.WholeSeconds("\"ClosedAt\"", "\"StartedAt\"")} END;
            UPDATE "Tickets" SET "VisitWaitSeconds" = COALESCE("WaitSeconds", 0)
              + COALESCE((SELECT SUM(g."WaitSeconds") FROM "TicketSegments" g WHERE g."TicketId" = "Tickets"."Id"), 0)
            WHERE "FirstCalledAt" IS NOT NULL;
            """;
    }
}
