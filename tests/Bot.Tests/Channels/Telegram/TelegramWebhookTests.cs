using System.Net;
using System.Net.Sockets;
using System.Text;
using PerpGuard.Bot.Channels.Telegram;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>Webhook mode: registered with its secret at start, the secret header enforced, a redelivery not run twice.</summary>
public sealed class TelegramWebhookTests
{
    private const string Secret = "webhook-secret_0123456789";

    [Fact]
    public async Task Webhook_IsRegistered_RefusesRequestsWithoutTheSecret_AndHandlesEachUpdateOnce()
    {
        var listen = $"http://127.0.0.1:{FreePort()}";
        await using var h = await TelegramHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookUrl"] = "https://bot.example.com/tg",
            ["Telegram:WebhookListen"] = listen,
            ["Telegram:WebhookSecret"] = Secret,
        });
        await h.Fake.WaitForCallAsync("setWebhook");
        Assert.Equal(("https://bot.example.com/tg", Secret), (h.Fake.WebhookUrl, h.Fake.WebhookSecret));
        Assert.Empty(h.Fake.CallsTo("getUpdates"));

        using var http = new HttpClient { BaseAddress = new Uri(listen) };
        var update = $$$"""{"update_id":777,"message":{"message_id":1,"from":{"id":{{{TelegramHarness.Alice}}},"is_bot":false,"first_name":"Alice"},"chat":{"id":{{{TelegramHarness.Alice}}},"type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"/start"}}""";

        using (var noSecret = await http.PostAsync(new Uri("/telegram", UriKind.Relative), Json(update)))
            Assert.Equal(HttpStatusCode.Unauthorized, noSecret.StatusCode);
        using (var wrong = await PostAsync(http, update, "not-the-secret"))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Empty(h.Fake.Sent);

        using (var ok = await PostAsync(http, update, Secret))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var reply = Assert.Single(h.Fake.SentTo(TelegramHarness.Alice)); // answered before the 200
        Assert.StartsWith("<b>Welcome to PerpGuard", reply.Text, StringComparison.Ordinal);

        // Telegram retries what it thinks failed: the same update is acknowledged without running again.
        using (var again = await PostAsync(http, update, Secret))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(h.Fake.SentTo(TelegramHarness.Alice));

        using (var garbage = await PostAsync(http, "{not json", Secret))
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string body, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/telegram", UriKind.Relative)) { Content = Json(body) };
        request.Headers.Add(TelegramWebhook.SecretHeader, secret);
        return await http.SendAsync(request);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
