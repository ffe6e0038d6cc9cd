using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class BranchCancellationsAndMessageHours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AppointmentStart",
                table: "Outbox",
                type: "datetime2",
                nullable: true);

            // Existing branches get the default message hours, 07:00–20:00.
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppointmentStart",
                table: "Outbox");

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
