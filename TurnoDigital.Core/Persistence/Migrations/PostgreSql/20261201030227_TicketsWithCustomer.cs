using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class TicketsWithCustomer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Tickets_WithCustomer",
                table: "Tickets",
                columns: new[] { "BranchId", "ServiceId", "ServiceDay", "Status" },
                filter: "\"CustomerId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_WithCustomer",
                table: "Tickets");
        }
    }
}
