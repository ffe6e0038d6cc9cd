using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class StaffBranchAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AllBranches",
                table: "AspNetUsers",
                type: "bit",
                nullable: false,
                defaultValue: false);

            // Installed sites keep today's behaviour: a user without branch rows used to see every branch.
            migrationBuilder.Sql("UPDATE AspNetUsers SET AllBranches = 1 WHERE NOT EXISTS (SELECT 1 FROM UserBranches WHERE UserBranches.UserId = AspNetUsers.Id)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllBranches",
                table: "AspNetUsers");
        }
    }
}
