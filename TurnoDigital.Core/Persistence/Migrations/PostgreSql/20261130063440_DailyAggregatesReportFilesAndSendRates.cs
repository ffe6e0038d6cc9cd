using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class DailyAggregatesReportFilesAndSendRates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AggregatedAt",
                table: "DayClosures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LateChanges",
                table: "DayClosures",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "DailyAggregates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ServiceId = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Visits = table.Column<int>(type: "integer", nullable: false),
                    NotArrived = table.Column<int>(type: "integer", nullable: false),
                    CalledVisits = table.Column<int>(type: "integer", nullable: false),
                    VisitWaitSum = table.Column<long>(type: "bigint", nullable: false),
                    Called = table.Column<int>(type: "integer", nullable: false),
                    WaitSum = table.Column<long>(type: "bigint", nullable: false),
                    Within = table.Column<int>(type: "integer", nullable: false),
                    Served = table.Column<int>(type: "integer", nullable: false),
                    ServedTimed = table.Column<int>(type: "integer", nullable: false),
                    ServiceTimed = table.Column<int>(type: "integer", nullable: false),
                    ServiceSum = table.Column<long>(type: "bigint", nullable: false),
                    NoShows = table.Column<int>(type: "integer", nullable: false),
                    WalkOuts = table.Column<int>(type: "integer", nullable: false),
                    Rating1 = table.Column<int>(type: "integer", nullable: false),
                    Rating2 = table.Column<int>(type: "integer", nullable: false),
                    Rating3 = table.Column<int>(type: "integer", nullable: false),
                    Rating4 = table.Column<int>(type: "integer", nullable: false),
                    Rating5 = table.Column<int>(type: "integer", nullable: false),
                    Segments = table.Column<int>(type: "integer", nullable: false),
                    SegmentsCalled = table.Column<int>(type: "integer", nullable: false),
                    SegmentWaitSum = table.Column<long>(type: "bigint", nullable: false),
                    SegmentsWithin = table.Column<int>(type: "integer", nullable: false),
                    SegmentsServiceTimed = table.Column<int>(type: "integer", nullable: false),
                    SegmentServiceSum = table.Column<long>(type: "bigint", nullable: false),
                    AppointmentsDue = table.Column<int>(type: "integer", nullable: false),
                    AppointmentNoShows = table.Column<int>(type: "integer", nullable: false),
                    RemindedDue = table.Column<int>(type: "integer", nullable: false),
                    RemindedNoShows = table.Column<int>(type: "integer", nullable: false),
                    Arrivals = table.Column<string>(type: "text", nullable: false),
                    VisitWaits = table.Column<string>(type: "text", nullable: false),
                    SegmentWaits = table.Column<string>(type: "text", nullable: false),
                    ServiceTimes = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyAggregates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DailyAggregates_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DailyReportFiles",
                columns: table => new
                {
                    BranchId = table.Column<int>(type: "integer", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Pdf = table.Column<byte[]>(type: "bytea", nullable: false),
                    MadeAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyReportFiles", x => new { x.BranchId, x.Day });
                    table.ForeignKey(
                        name: "FK_DailyReportFiles_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SendRates",
                columns: table => new
                {
                    PhoneNumberId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NextSlotTicks = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendRates", x => x.PhoneNumberId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DailyAggregates_BranchId_Day_ServiceId_Channel",
                table: "DailyAggregates",
                columns: new[] { "BranchId", "Day", "ServiceId", "Channel" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyAggregates");

            migrationBuilder.DropTable(
                name: "DailyReportFiles");

            migrationBuilder.DropTable(
                name: "SendRates");

            migrationBuilder.DropColumn(
                name: "AggregatedAt",
                table: "DayClosures");

            migrationBuilder.DropColumn(
                name: "LateChanges",
                table: "DayClosures");
        }
    }
}
