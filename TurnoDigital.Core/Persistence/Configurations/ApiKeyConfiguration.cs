using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Api;

namespace TurnoDigital.Core.Persistence.Configurations;

class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(x => x.Name).HasMaxLength(ApiKey.NameMax);
        b.Property(x => x.Hash).HasMaxLength(ApiKey.HashMax);
        b.Property(x => x.Prefix).HasMaxLength(ApiKey.PrefixMax);
        b.Property(x => x.Scopes).HasMaxLength(ApiKey.ScopesMax);
        b.HasIndex(x => x.Hash).IsUnique();
        b.Ignore(x => x.ScopeList);
    }
}
