using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class WaitingLineChecksumIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_BranchId_ServiceDay_Status_ClosedAt",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_BranchId_ServiceDay_Status_ClosedAt_Version",
                table: "Tickets",
                columns: new[] { "BranchId", "ServiceDay", "Status", "ClosedAt", "Version" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_BranchId_ServiceDay_Status_ClosedAt_Version",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_BranchId_ServiceDay_Status_ClosedAt",
                table: "Tickets",
                columns: new[] { "BranchId", "ServiceDay", "Status", "ClosedAt" });
        }
    }
}
