using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class StaffingOnDailyAggregates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AppointmentSegmentStarts",
                table: "DailyAggregates",
                type: "nvarchar(max)",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "HandleTicks",
                table: "DailyAggregates",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "Handled",
                table: "DailyAggregates",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SegmentStarts",
                table: "DailyAggregates",
                type: "nvarchar(max)",
                nullable: false,
                defaultValue: "");

            // Hand edit: days summed before these columns have no staffing inputs; AggregateDaysJob sums every closed day again.
            migrationBuilder.Sql("UPDATE [DayClosures] SET [AggregatedAt] = NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppointmentSegmentStarts",
                table: "DailyAggregates");

            migrationBuilder.DropColumn(
                name: "HandleTicks",
                table: "DailyAggregates");

            migrationBuilder.DropColumn(
                name: "Handled",
                table: "DailyAggregates");

            migrationBuilder.DropColumn(
                name: "SegmentStarts",
                table: "DailyAggregates");
        }
    }
}
