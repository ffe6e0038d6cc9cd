using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FairPriority : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AppointmentsAfterPreferential",
                table: "Services",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "OrdinaryAfterPreferentialCalls",
                table: "Services",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PreferentialStreak",
                table: "Counters",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppointmentsAfterPreferential",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "OrdinaryAfterPreferentialCalls",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "PreferentialStreak",
                table: "Counters");
        }
    }
}
