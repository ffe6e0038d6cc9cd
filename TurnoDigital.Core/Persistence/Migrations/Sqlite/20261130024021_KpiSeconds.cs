using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KpiSeconds : Migration
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

            // Rows written before the transitions stored their seconds.
            migrationBuilder.Sql(KpiSecondsBackfill.Sql(migrationBuilder.ActiveProvider));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
