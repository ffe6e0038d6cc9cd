using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TurnoDigital.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ContactOwnership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContactEmail",
                table: "Tickets",
                type: "nvarchar(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactName",
                table: "Tickets",
                type: "nvarchar(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactPhone",
                table: "Tickets",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "WhatsAppOptIn",
                table: "Tickets",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ContactEmail",
                table: "Appointments",
                type: "nvarchar(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactName",
                table: "Appointments",
                type: "nvarchar(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactPhone",
                table: "Appointments",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "WhatsAppOptIn",
                table: "Appointments",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ContactPhone",
                table: "Tickets",
                column: "ContactPhone");

            migrationBuilder.CreateIndex(
                name: "IX_Appointments_ContactPhone",
                table: "Appointments",
                column: "ContactPhone");

            // Installed sites: every existing appointment and ticket takes the phone its messages went to until now (the
            // customer's, else the WhatsApp number linked to the customer) and the consent on record for it.
            foreach (var table in new[] { "Appointments", "Tickets" })
                migrationBuilder.Sql($@"UPDATE {table} SET ContactPhone = COALESCE(
                    (SELECT c.Phone FROM Customers c WHERE c.Id = {table}.CustomerId),
                    (SELECT TOP 1 '+' + w.WaId FROM WhatsAppContacts w WHERE w.CustomerId = {table}.CustomerId ORDER BY w.WaId))
                  WHERE CustomerId IS NOT NULL;");
            migrationBuilder.Sql(@"UPDATE Appointments SET WhatsAppOptIn = 1 WHERE ContactPhone IS NOT NULL AND EXISTS (
                    SELECT 1 FROM ConsentRecords r WHERE r.CustomerId = Appointments.CustomerId
                      AND r.Purpose = 'whatsapp-appointment-updates' AND r.WithdrawnAt IS NULL);");
            migrationBuilder.Sql(@"UPDATE Tickets SET WhatsAppOptIn = 1 WHERE ContactPhone IS NOT NULL AND EXISTS (
                    SELECT 1 FROM ConsentRecords r WHERE r.CustomerId = Tickets.CustomerId AND r.WithdrawnAt IS NULL
                      AND (r.Purpose = 'whatsapp-ticket-updates' OR (Tickets.AppointmentId IS NOT NULL AND r.Purpose = 'whatsapp-appointment-updates')));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_ContactPhone",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Appointments_ContactPhone",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "ContactEmail",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ContactName",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ContactPhone",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "WhatsAppOptIn",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ContactEmail",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "ContactName",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "ContactPhone",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "WhatsAppOptIn",
                table: "Appointments");
        }
    }
}
