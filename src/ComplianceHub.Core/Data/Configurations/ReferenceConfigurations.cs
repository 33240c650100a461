using ComplianceHub.Core.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

internal sealed class CountryConfiguration : IEntityTypeConfiguration<Country>
{
    public void Configure(EntityTypeBuilder<Country> b)
    {
        b.ToTable("countries", t => t.HasCheckConstraint("ck_countries_alpha2", "alpha2 ~ '^[A-Z]{2}$'"));
        b.HasKey(c => c.Alpha2);
        b.Property(c => c.Alpha2).HasMaxLength(2).IsFixedLength();
        b.Property(c => c.Alpha3).HasMaxLength(3).IsFixedLength();
        b.Property(c => c.Name).HasMaxLength(100);
        b.HasIndex(c => c.Alpha3).IsUnique();
        b.HasData(Iso3166.All);
    }
}
