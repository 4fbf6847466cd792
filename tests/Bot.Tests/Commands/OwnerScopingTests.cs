using PerpGuard.Bot.Chat;

namespace PerpGuard.Bot.Tests.Commands;

/// <summary>One user can never read, change or delete another user's positions, even by guessing ids.</summary>
public sealed class OwnerScopingTests
{
    [Fact]
    public async Task AnotherUser_GetsNotFound_ForEveryCommandOnAlicesIds()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/add binance BTCUSDT long 0.5 @ 60000 x20 label alice-core", user: "alice");
        await bot.SendAsync("/add bybit ETH short 3 @ 3150 x10", user: "alice");
        var aliceIds = await PositionIdsAsync(bot);
        Assert.Equal(2, aliceIds.Count);

        foreach (var id in aliceIds)
        {
            foreach (var command in new[] { $"/risk {id}", $"/risk #{id}", $"/edit {id} qty 5", $"/edit {id} label mine", $"/remove {id}", $"/remove {id} confirm" })
            {
                var reply = await bot.SendAsync(command, user: "bob", buttons: true);
                Assert.Equal(ReplyTone.Error, reply.Tone);
                Assert.Equal($"No position #{id}. Send /positions to see yours.", reply.Headline);
            }
        }

        // Bob's own views show nothing of Alice's.
        Assert.Equal("You track no positions yet.", (await bot.SendAsync("/positions", user: "bob")).Headline);
        Assert.Equal("You track no positions yet.", (await bot.SendAsync("/risk", user: "bob")).Headline);
        Assert.Equal("You have no BTC position. Send /positions to see yours.", (await bot.SendAsync("/risk BTC", user: "bob")).Headline);

        // Alice's data is exactly as she left it.
        var stored = await bot.StoredPositionsAsync();
        Assert.Equal(2, stored.Count);
        Assert.Equal(0.5, stored[0].Quantity);
        Assert.Equal("alice-core", stored[0].Label);
        Assert.Equal(3, stored[1].Quantity);
        Assert.Null(stored[1].Label);
        Assert.Equal("Your 2 positions", (await bot.SendAsync("/positions", user: "alice")).Headline);
    }

    [Fact]
    public async Task SameExternalId_OnAnotherPlatform_IsAnotherUser()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/add BTC long 0.5 @ 60000 x20", user: "42");
        var id = (await PositionIdsAsync(bot)).Single();
        var reply = await bot.Handler.HandleAsync(new ChatMessage(new ChatIdentity("other", "42", null), $"/risk {id}", false), CancellationToken.None);
        Assert.Equal($"No position #{id}. Send /positions to see yours.", reply.Headline);
    }

    private static async Task<List<long>> PositionIdsAsync(BotHarness bot) => [.. (await bot.StoredPositionsAsync()).Select(p => p.Id)];
}
