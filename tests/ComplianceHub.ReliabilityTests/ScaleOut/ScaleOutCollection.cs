namespace ComplianceHub.ReliabilityTests.ScaleOut;

/// <summary>The scale-out classes that leave both instances running share one cluster, two instances and nginx.</summary>
[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<ScaleOutFixture>
{
    public const string Name = "two instances behind nginx";
}
