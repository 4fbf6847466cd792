using System.Text;
using PerpGuard.Bot.Chat;

namespace PerpGuard.Bot.Tests.Commands;

/// <summary>Nothing a user types escapes as an exception: thousands of random messages, many shaped like real commands.</summary>
public sealed class CommandFuzzTests
{
    private static readonly string[] Words =
    [
        "/add", "/liq", "/edit", "/remove", "/risk", "/positions", "/settings", "/mute", "/help", "/status", "/start", "/unmute", "/pos", "/rm",
        "binance", "bybit", "okx", "hl", "BTC", "ETHUSDT", "BTC-USDT-SWAP", "BTCUSD_PERP", "SOL", "long", "short", "buy", "@", "x20", "20x", "x",
        "0.5", "60000", "6O000", "1.5k", "2M", "-1", "0", "1e308", "NaN", "∞", "cross", "isolated", "margin", "wallet", "mmr", "0.5%", "label",
        "mark", "confirm", "#1", "1", "2", "999999999999999999999", "none", "qty", "entry", "leverage", "mode", "side", "timezone", "Europe/Berlin",
        "UTC+14", "venue", "alert_levels", "20%", "quiet_hours", "23:00-07:00", "quiet_critical", "on", "2h", "30d", "31d", "\"", "'", "\u0000", "😀",
        "<b>", "&amp;", "%", ",", "..", "//", "/", "Ω",
    ];

    [Fact]
    public async Task RandomMessages_AlwaysGetAReply_NeverAnException()
    {
        await using var bot = await BotHarness.StartAsync();
        var random = new Random(20261121);
        for (var i = 0; i < 3000; i++)
        {
            var text = i % 3 == 0 ? RandomChars(random) : RandomWords(random);
            var user = random.Next(3) switch { 0 => "alice", 1 => "bob", _ => "carol" };
            Reply reply;
            try
            {
                reply = await bot.SendAsync(text, user, buttons: random.Next(2) == 0);
            }
            catch (Exception ex)
            {
                Assert.Fail($"'{text}' threw {ex}");
                throw;
            }
            Assert.False(string.IsNullOrWhiteSpace(reply.Headline), text);
            Assert.DoesNotContain("failed on our side", reply.Headline, StringComparison.Ordinal);
        }

        // The stored data is still readable and consistent after the storm.
        var list = await bot.SendAsync("/positions", "alice");
        Assert.NotEqual(ReplyTone.Error, list.Tone);
    }

    private static string RandomWords(Random random)
    {
        var sb = new StringBuilder(Words[random.Next(15)]);
        var n = random.Next(0, 12);
        for (var i = 0; i < n; i++) sb.Append(random.Next(8) == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
        return sb.ToString();
    }

    private static string RandomChars(Random random)
    {
        var length = random.Next(0, random.Next(10) == 0 ? 700 : 60);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = random.Next(4) switch
            {
                0 => (char)random.Next(0, 0x80),
                1 => "/ @x.,%#-_0123456789"[random.Next(20)],
                2 => (char)random.Next(0x80, 0xD7FF),
                _ => (char)random.Next('a', 'z' + 1),
            };
        if (length > 0 && random.Next(2) == 0) chars[0] = '/';
        return new string(chars);
    }
}
