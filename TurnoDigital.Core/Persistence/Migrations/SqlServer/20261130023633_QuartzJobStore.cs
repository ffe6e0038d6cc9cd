using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class QuartzJobStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Quartz's own tables for the clustered job store (no entity maps them).
            foreach (var sql in QuartzSchema.Create("sqlServer")) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in QuartzSchema.Drop()) migrationBuilder.Sql(sql);
        }
    }
}
