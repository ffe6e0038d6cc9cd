using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChannelAlertsAndKpiSeconds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ServiceSeconds",
                table: "TicketSegments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WaitSeconds",
                table: "TicketSegments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ServiceSeconds",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VisitWaitSeconds",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WaitSeconds",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Condition = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: true),
                    DeviceId = table.Column<int>(type: "INTEGER", nullable: true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    OpenKey = table.Column<string>(type: "TEXT", maxLength: 160, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EmailedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcknowledgedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AcknowledgedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertThresholds",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    SilenceMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    FailurePercent = table.Column<int>(type: "INTEGER", nullable: false),
                    FailureMinSends = table.Column<int>(type: "INTEGER", nullable: false),
                    DeviceOfflineMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    ForgedWebhooks = table.Column<int>(type: "INTEGER", nullable: false),
                    ApiErrors = table.Column<int>(type: "INTEGER", nullable: false),
                    SpikeWindowMinutes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertThresholds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChannelOwners",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BranchId = table.Column<int>(type: "INTEGER", nullable: true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChannelOwners", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChannelOwners_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ChannelOwners_Branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "Branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HealthTallies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Minute = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthTallies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TemplateStates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TemplateStates", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "AlertThresholds",
                columns: new[] { "Id", "ApiErrors", "DeviceOfflineMinutes", "FailureMinSends", "FailurePercent", "ForgedWebhooks", "SilenceMinutes", "SpikeWindowMinutes" },
                values: new object[] { 1, 50, 2, 20, 10, 20, 30, 10 });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_OpenedAt",
                table: "Alerts",
                column: "OpenedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_OpenKey",
                table: "Alerts",
                column: "OpenKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChannelOwners_BranchId_Target",
                table: "ChannelOwners",
                columns: new[] { "BranchId", "Target" });

            migrationBuilder.CreateIndex(
                name: "IX_ChannelOwners_UserId",
                table: "ChannelOwners",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_HealthTallies_Kind_Minute",
                table: "HealthTallies",
                columns: new[] { "Kind", "Minute" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TemplateStates_Name_Language",
                table: "TemplateStates",
                columns: new[] { "Name", "Language" },
                unique: true);

            // Hand edit: the stored KPI seconds of existing tickets and segments (Persistence/KpiSecondsBackfill).
            migrationBuilder.Sql(KpiSecondsBackfill.Sql(migrationBuilder.ActiveProvider));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "AlertThresholds");

            migrationBuilder.DropTable(
                name: "ChannelOwners");

            migrationBuilder.DropTable(
                name: "HealthTallies");

            migrationBuilder.DropTable(
                name: "TemplateStates");

            migrationBuilder.DropColumn(
                name: "ServiceSeconds",
                table: "TicketSegments");

            migrationBuilder.DropColumn(
                name: "WaitSeconds",
                table: "TicketSegments");

            migrationBuilder.DropColumn(
                name: "ServiceSeconds",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "VisitWaitSeconds",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "WaitSeconds",
                table: "Tickets");
        }
    }
}
