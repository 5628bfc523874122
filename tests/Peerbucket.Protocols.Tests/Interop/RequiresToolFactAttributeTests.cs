namespace Peerbucket.Protocols.Tests.Interop;

public sealed class RequiresToolFactAttributeTests
{
    [Fact]
    public void MissingToolSkipsLocallyButRunsAndFailsOnCi()
    {
        var onCi = Environment.GetEnvironmentVariable("CI") == "true";
        var fact = new RequiresToolFactAttribute("peerbucket-no-such-tool");
        var theory = new RequiresToolTheoryAttribute("peerbucket-no-such-tool");
        Assert.Equal(onCi, fact.Skip is null);
        Assert.Equal(onCi, theory.Skip is null);
    }

    [Fact]
    public void PresentToolIsNeverSkipped() => Assert.Null(new RequiresToolFactAttribute("sh").Skip);

    [Fact]
    public void ProcessThatOverrunsItsTimeoutIsKilled()
    {
        var started = DateTime.UtcNow;
        Assert.Throws<TimeoutException>(() => ExternalTool.Run("sh", ["-c", "sleep 30"], TimeSpan.FromMilliseconds(300)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
    }
}
