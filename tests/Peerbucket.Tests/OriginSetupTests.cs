using Peerbucket.Hosting;
using Peerbucket.Swarm.Origin;

namespace Peerbucket.Tests;

public sealed class OriginSetupTests
{
    [Fact]
    public void DefaultsAreThriftyWithoutABudget()
    {
        var origin = OriginSetup.ToOptions(new ServerOptions());
        Assert.Equal(OriginPolicy.Thrifty, origin.Policy);
        Assert.Equal(0, origin.BudgetBytesPerSecond);
        Assert.Equal(0, origin.BudgetBytesPerSecondPerObject);
    }

    [Fact]
    public void BudgetsAndBucketPoliciesComeThrough()
    {
        var options = new ServerOptions { OriginPolicy = "fast", OriginBudget = 4_000_000, OriginBudgetPerObject = 1_000_000 };
        options.BucketOriginPolicy["datasets"] = "thrifty";
        var origin = OriginSetup.ToOptions(options);
        Assert.Equal(OriginPolicy.Fast, origin.For("other"));
        Assert.Equal(OriginPolicy.Thrifty, origin.For("datasets"));
        Assert.Equal(4_000_000, origin.BudgetBytesPerSecond);
        Assert.Equal(1_000_000, origin.BudgetBytesPerSecondPerObject);
    }

    [Theory]
    [InlineData(-1L, null, "--origin-budget")]
    [InlineData(null, -5L, "--origin-budget-per-object")]
    public void ANegativeBudgetIsRefusedByItsFlag(long? total, long? perObject, string flag)
    {
        var error = Assert.Throws<ArgumentException>(() => OriginSetup.ToOptions(new ServerOptions { OriginBudget = total, OriginBudgetPerObject = perObject }));
        Assert.StartsWith(flag + " ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownPolicyIsRefusedByItsFlag()
    {
        var options = new ServerOptions();
        options.BucketOriginPolicy["b"] = "generous";
        var error = Assert.Throws<ArgumentException>(() => OriginSetup.ToOptions(options));
        Assert.Contains("--bucket-origin-policy b=generous", error.Message, StringComparison.Ordinal);
    }
}
