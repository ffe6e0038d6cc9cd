using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RealDayAtTheBranch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing branches get the default message hours, 07:00–20:00 (hand-edited: the model has no database default).
            migrationBuilder.AddColumn<bool>(
                name: "ClosedBySystem",
                table: "Tickets",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Segment",
                table: "Tickets",
                type: "int",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTime>(
                name: "SegmentCalledAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SegmentFrom",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "AppointmentsAfterPreferential",
                table: "Services",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "OrdinaryAfterPreferentialCalls",
                table: "Services",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "ReactivateAtOriginalPlace",
                table: "Services",
                type: "bit",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "ReactivationWindowMinutes",
                table: "Services",
                type: "int",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<DateTime>(
                name: "AppointmentStart",
                table: "Outbox",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Segment",
                table: "JourneyEvents",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PreferentialStreak",
                table: "Counters",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "MessagesFromMinute",
                table: "Branches",
                type: "int",
                nullable: false,
                defaultValue: 420);

            migrationBuilder.AddColumn<int>(
                name: "MessagesToMinute",
                table: "Branches",
                type: "int",
                nullable: false,
                defaultValue: 1200);

            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "Appointments",
                type: "nvarchar(24)",
                maxLength: 24,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DayClosures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    BranchId = table.Column<int>(type: "int", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ClosedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    AtMidnight = table.Column<bool>(type: "bit", nullable: false),
                    ReportAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DayClosures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DayClosures_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TicketSegments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    ServiceId = table.Column<int>(type: "int", nullable: false),
                    WaitFrom = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CalledAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketSegments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TicketSegments_Services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "Services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TicketSegments_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DayClosures_BranchId_Day",
                table: "DayClosures",
                columns: new[] { "BranchId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketSegments_ServiceId",
                table: "TicketSegments",
                column: "ServiceId");

            migrationBuilder.CreateIndex(
                name: "IX_TicketSegments_TicketId_Number",
                table: "TicketSegments",
                columns: new[] { "TicketId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DayClosures");

            migrationBuilder.DropTable(
                name: "TicketSegments");

            migrationBuilder.DropColumn(
                name: "ClosedBySystem",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "Segment",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SegmentCalledAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SegmentFrom",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AppointmentsAfterPreferential",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "OrdinaryAfterPreferentialCalls",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "ReactivateAtOriginalPlace",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "ReactivationWindowMinutes",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "AppointmentStart",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "Segment",
                table: "JourneyEvents");

            migrationBuilder.DropColumn(
                name: "PreferentialStreak",
                table: "Counters");

            migrationBuilder.DropColumn(
                name: "MessagesFromMinute",
                table: "Branches");

            migrationBuilder.DropColumn(
                name: "MessagesToMinute",
                table: "Branches");

            migrationBuilder.DropColumn(
                name: "CancelReason",
                table: "Appointments");
        }
    }
}
