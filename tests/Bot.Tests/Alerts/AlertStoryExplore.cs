using Xunit.Abstractions;

namespace PerpGuard.Bot.Tests.Alerts;

public sealed class AlertStoryExplore(ITestOutputHelper output)
{
    [Fact]
    public async Task Explore()
    {
        await using var h = await AlertHarness.StartAsync();
        var cmds = new Dictionary<string, string[]>
        {
            ["alice"] = ["/add binance BTCUSDT long 0.5 @ 121000 x8"],
            ["erin"] = ["/add binance BTCUSDT long 0.5 @ 121000 x8", "/settings quiet_hours 21:00-22:00"],
            ["frank"] = ["/add binance BTCUSDT long 0.5 @ 121000 x8", "/settings daily_cap 2"],
            ["gina"] = ["/add binance ETHUSDT long 5 @ 4380 x6", "/settings alert_levels 8% 4%"],
            ["hank"] = ["/add binance ETHUSDT long 5 @ 4380 x6", "/settings alert_levels 8% 4%"],
        };
        foreach (var (user, list) in cmds) foreach (var c in list) output.WriteLine($"{user} {c} → {(await h.SendAsync(c, user)).Headline}");
        await h.RunUntilAsync(AlertHarness.PlayFrom.AddHours(2.25));
        output.WriteLine($"{h.Now:HH:mm} dave → {(await h.SendAsync("/add binance BTCUSDT short 0.1 @ 110000 x25", "dave")).Headline}");
        await h.RunUntilAsync(AlertHarness.PlayFrom.AddHours(4));
        var hankAlert = (await h.AlertsAsync()).Last(a => a.OwnerId == 7);
        output.WriteLine($"{h.Now:HH:mm} hank → {(await h.SendAsync($"/snooze {hankAlert.Id} 1h", "hank")).Headline}");
        await h.RunUntilAsync(AlertHarness.Scenario.Header.End);
        foreach (var r in await h.AlertsAsync()) output.WriteLine($"{r.Id} {r.CreatedAt:HH:mm} o{r.OwnerId} {r.Status} {r.Step} {r.Reason} | {r.Summary}");
        foreach (var r in h.Channel.Received) output.WriteLine($"RECV {r.At:HH:mm} {r.User} | {r.Headline}");
    }
}
