using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class DeskOpenTicketIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_CounterId",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_CounterId_Status_AgentId",
                table: "Tickets",
                columns: new[] { "CounterId", "Status", "AgentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_CounterId_Status_AgentId",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_CounterId",
                table: "Tickets",
                column: "CounterId");
        }
    }
}
