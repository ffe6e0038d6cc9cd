using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TicketSegmentsReactivation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.AddColumn<int>(
                name: "Segment",
                table: "JourneyEvents",
                type: "int",
                nullable: true);

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
                name: "TicketSegments");

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
                name: "ReactivateAtOriginalPlace",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "ReactivationWindowMinutes",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "Segment",
                table: "JourneyEvents");
        }
    }
}
