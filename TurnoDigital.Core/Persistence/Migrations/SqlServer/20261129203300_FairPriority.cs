using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
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
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "OrdinaryAfterPreferentialCalls",
                table: "Services",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PreferentialStreak",
                table: "Counters",
                type: "int",
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
