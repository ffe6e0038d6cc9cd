using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AssignedAgent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AssignedAgentId",
                table: "Tickets",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AssignedCounterId",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AssignedUntil",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AgentAssignment",
                table: "Services",
                type: "TEXT",
                maxLength: 24,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<int>(
                name: "AssignedReleaseMinutes",
                table: "Services",
                type: "INTEGER",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.AddColumn<string>(
                name: "AssignedAgentId",
                table: "Appointments",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AssignedCounterId",
                table: "Appointments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_AssignedCounterId",
                table: "Tickets",
                column: "AssignedCounterId");

            migrationBuilder.CreateIndex(
                name: "IX_Appointments_AssignedCounterId",
                table: "Appointments",
                column: "AssignedCounterId");

            migrationBuilder.AddForeignKey(
                name: "FK_Appointments_Counters_AssignedCounterId",
                table: "Appointments",
                column: "AssignedCounterId",
                principalTable: "Counters",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Tickets_Counters_AssignedCounterId",
                table: "Tickets",
                column: "AssignedCounterId",
                principalTable: "Counters",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Appointments_Counters_AssignedCounterId",
                table: "Appointments");

            migrationBuilder.DropForeignKey(
                name: "FK_Tickets_Counters_AssignedCounterId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_AssignedCounterId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Appointments_AssignedCounterId",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "AssignedAgentId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AssignedCounterId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AssignedUntil",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AgentAssignment",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "AssignedReleaseMinutes",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "AssignedAgentId",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "AssignedCounterId",
                table: "Appointments");
        }
    }
}
