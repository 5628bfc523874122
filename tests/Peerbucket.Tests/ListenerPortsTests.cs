using Peerbucket.Hosting;

namespace Peerbucket.Tests;

public sealed class ListenerPortsTests
{
    [Fact]
    public void StartupLineNamesEveryListener() =>
        Assert.Equal("Listening: http=http://127.0.0.1:9000 tracker=6969 peer=6881",
            new ListenerPorts(new Uri("http://127.0.0.1:9000/"), 6969, 6881).StartupLine);

    [Fact]
    public void StartupLineSaysOffForAListenerThatIsOff() =>
        Assert.Equal("Listening: http=http://[::1]:41000 tracker=off peer=off", new ListenerPorts(new Uri("http://[::1]:41000"), null, null).StartupLine);

    [Fact]
    public void HealthStartsWithOkThenOneLinePerListener() =>
        Assert.Equal("ok\nhttp=http://localhost:9000\ntracker=off\npeer=50123\n",
            new ListenerPorts(new Uri("http://localhost:9000"), null, 50123).HealthText);
}
