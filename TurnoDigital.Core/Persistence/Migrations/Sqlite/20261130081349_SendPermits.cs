using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SendPermits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SendRates");

            migrationBuilder.CreateTable(
                name: "SendPermits",
                columns: table => new
                {
                    PhoneNumberId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    FreeAtTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendPermits", x => new { x.PhoneNumberId, x.Number });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SendPermits");

            migrationBuilder.CreateTable(
                name: "SendRates",
                columns: table => new
                {
                    PhoneNumberId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NextSlotTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendRates", x => x.PhoneNumberId);
                });
        }
    }
}
