namespace Peerbucket.Protocols.Tests.Interop;

/// <summary>The shared tool-requirement rule (tests/Peerbucket.Testing): skip locally when missing, never on CI.</summary>
public sealed class RequiresToolAttributeTests
{
    [Fact]
    public void MissingToolSkipsLocallyButRunsAndFailsOnCi()
    {
        var onCi = Environment.GetEnvironmentVariable("CI") == "true";
        var fact = new RequiresToolFactAttribute("peerbucket-no-such-tool");
        var theory = new RequiresToolTheoryAttribute("peerbucket-no-such-tool");
        Assert.Equal(onCi, fact.Skip is null);
        Assert.Equal(onCi, theory.Skip is null);
        if (!onCi)
        {
            Assert.Contains("peerbucket-no-such-tool", fact.Skip, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PresentToolIsNeverSkipped()
    {
        Assert.Null(new RequiresToolFactAttribute("sh").Skip);
        Assert.Null(new RequiresToolTheoryAttribute("sh", "/bin/sh").Skip);
    }

    [Fact]
    public void EveryKindOfRequirementIsChecked()
    {
        Assert.True(ToolRequirements.IsAvailable("sh"));
        Assert.True(ToolRequirements.IsAvailable("/bin/sh"));
        Assert.False(ToolRequirements.IsAvailable("/bin/peerbucket-no-such-tool"));
        Assert.False(ToolRequirements.IsAvailable("peerbucket-no-such-interpreter:os"));
        Assert.False(ToolRequirements.IsAvailable("npm:peerbucket-no-such-package"));
        if (ToolRequirements.IsAvailable("/usr/bin/python3"))
        {
            Assert.True(ToolRequirements.IsAvailable("/usr/bin/python3:os"));
            Assert.False(ToolRequirements.IsAvailable("/usr/bin/python3:peerbucket_no_such_module"));
        }
    }
}
