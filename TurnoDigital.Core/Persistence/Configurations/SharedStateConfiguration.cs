using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.WhatsApp.Transport;

namespace TurnoDigital.Core.Persistence.Configurations;

class SendPermitConfiguration : IEntityTypeConfiguration<SendPermit>
{
    public void Configure(EntityTypeBuilder<SendPermit> b)
    {
        b.HasKey(x => new { x.PhoneNumberId, x.Number });
        b.Property(x => x.PhoneNumberId).HasMaxLength(SendPermit.PhoneNumberIdMax);
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
