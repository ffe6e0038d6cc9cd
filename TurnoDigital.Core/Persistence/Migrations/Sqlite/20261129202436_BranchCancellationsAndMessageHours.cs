using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            // Existing branches get the default message hours, 07:00–20:00.
            migrationBuilder.AddColumn<int>(
                name: "MessagesFromMinute",
                table: "Branches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 420);

            migrationBuilder.AddColumn<int>(
                name: "MessagesToMinute",
                table: "Branches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1200);

            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "Appointments",
                type: "TEXT",
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
