using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.WhatsApp.Transport;

namespace TurnoDigital.Core.Persistence.Configurations;

class SendRateConfiguration : IEntityTypeConfiguration<SendRate>
{
    public void Configure(EntityTypeBuilder<SendRate> b)
    {
        b.HasKey(x => x.PhoneNumberId);
        b.Property(x => x.PhoneNumberId).HasMaxLength(SendRate.PhoneNumberIdMax);
    }
}

class DailyReportFileConfiguration : IEntityTypeConfiguration<DailyReportFile>
{
    public void Configure(EntityTypeBuilder<DailyReportFile> b)
    {
        b.HasKey(x => new { x.BranchId, x.Day });
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}
