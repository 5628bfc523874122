using System.Reflection;

namespace Peerbucket.Tests;

/// <summary>
/// The dependency rules of docs/ARCHITECTURE.md, read from the compiled assemblies' references (what the code really
/// uses, not what a project file says): Protocols depends on nothing of ours and no I/O framework; Storage on nothing
/// of ours and no HTTP; S3 and Swarm each on Protocols and Storage only, never on each other; only the host sees all.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> AllowedProjects = new()
    {
        ["Peerbucket.Protocols"] = [],
        ["Peerbucket.Storage"] = [],
        ["Peerbucket.S3"] = ["Peerbucket.Protocols", "Peerbucket.Storage"],
        ["Peerbucket.Swarm"] = ["Peerbucket.Protocols", "Peerbucket.Storage"],
        ["Peerbucket"] = ["Peerbucket.Protocols", "Peerbucket.Storage", "Peerbucket.S3", "Peerbucket.Swarm"],
    };

    /// <summary>Framework prefixes a layer must not touch: no HTTP server below the protocol front ends, no database
    /// in the wire code.</summary>
    private static readonly Dictionary<string, string[]> ForbiddenFrameworks = new()
    {
        ["Peerbucket.Protocols"] = ["Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging"],
        ["Peerbucket.Storage"] = ["Microsoft.AspNetCore", "Microsoft.Extensions.Hosting"],
    };

    public static TheoryData<string> Projects() => [.. AllowedProjects.Keys];

    [Theory]
    [MemberData(nameof(Projects))]
    public void AProjectReferencesOnlyTheProjectsItsLayerAllows(string project)
    {
        var ours = References(project).Where(name => name == "Peerbucket" || name.StartsWith("Peerbucket.", StringComparison.Ordinal));
        var forbidden = ours.Except(AllowedProjects[project]).ToList();
        Assert.True(forbidden.Count == 0, $"{project} references {string.Join(", ", forbidden)}; it may reference only "
            + $"[{string.Join(", ", AllowedProjects[project])}] (docs/ARCHITECTURE.md)");
    }

    [Theory]
    [InlineData("Peerbucket.Protocols")]
    [InlineData("Peerbucket.Storage")]
    public void ALowerLayerUsesNoFrameworkAboveIt(string project)
    {
        var used = References(project)
            .Where(name => ForbiddenFrameworks[project].Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();
        Assert.True(used.Count == 0, $"{project} references {string.Join(", ", used)}");
    }

    [Fact]
    public void TheRulesCoverEveryProjectInTheHost()
    {
        var ours = References("Peerbucket").Where(name => name.StartsWith("Peerbucket.", StringComparison.Ordinal)).Append("Peerbucket");
        Assert.Equal(AllowedProjects.Keys.Order(), ours.Order());
    }

    [Fact]
    public void TheRulesCanFail()
    {
        // The host references S3 and Swarm: if the test read nothing, this would pass vacuously.
        Assert.Contains("Peerbucket.S3", References("Peerbucket"));
        Assert.Contains("Peerbucket.Swarm", References("Peerbucket"));
        Assert.Contains("Peerbucket.Storage", References("Peerbucket.S3"));
    }

    private static List<string> References(string project) =>
        [.. Load(project).GetReferencedAssemblies().Select(reference => reference.Name!)];

    private static Assembly Load(string project) => Assembly.Load(new AssemblyName(project));
}
