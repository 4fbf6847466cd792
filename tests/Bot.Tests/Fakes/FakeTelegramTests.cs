using System.Net;
using System.Text;
using System.Text.Json;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>The Telegram fake itself, driven through a raw HttpClient.</summary>
public sealed class FakeTelegramTests
{
    private const long Chat = 4242;
    private static readonly string[] Allowed = ["message", "callback_query"];

    private static async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpClient http, FakeTelegram tg, string method, object? body = null, string token = FakeTelegram.Token)
    {
        using var content = new StringContent(body is null ? "" : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri($"{tg.BaseUrl}/bot{token}/{method}"), content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static long[] UpdateIds(JsonElement body) => [.. body.GetProperty("result").EnumerateArray().Select(u => u.GetProperty("update_id").GetInt64())];

    private static Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, FakeTelegram tg, string text, string? parseMode = "HTML") =>
        CallAsync(http, tg, "sendMessage", new { chat_id = Chat, text, parse_mode = parseMode });

    [Fact]
    public async Task Long_poll_waits_then_returns_an_update_sent_meanwhile()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        var poll = CallAsync(http, tg, "getupdates", new { timeout = 20, allowed_updates = Allowed });
        await tg.WaitForCallAsync("getUpdates");
        await Task.Delay(200);
        Assert.False(poll.IsCompleted);

        var id = tg.SendText(111, "/status BTCUSDT");
        var (status, body) = await poll.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(100000, id);
        var update = Assert.Single(body.GetProperty("result").EnumerateArray());
        var message = update.GetProperty("message");
        Assert.Equal("/status BTCUSDT", message.GetProperty("text").GetString());
        Assert.Equal(111, message.GetProperty("chat").GetProperty("id").GetInt64());
        Assert.Equal(7, message.GetProperty("entities")[0].GetProperty("length").GetInt32());
        Assert.Equal(["message", "callback_query"], tg.AllowedUpdates);
        Assert.Equal("getUpdates", tg.Calls[0].Method);
    }

    [Fact]
    public async Task Offset_confirms_and_never_redelivers_while_unconfirmed_updates_come_again()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        var first = tg.SendText(111, "one");
        var second = tg.PressButton(111, 5000, "sz:BTCUSDT:60");

        Assert.Equal([first, second], UpdateIds((await CallAsync(http, tg, "getUpdates")).Body));
        Assert.Equal([first, second], UpdateIds((await CallAsync(http, tg, "getUpdates", new { limit = 5 })).Body)); // no offset: redelivered
        Assert.Equal([second], UpdateIds((await CallAsync(http, tg, "getUpdates", new { offset = first + 1 })).Body));
        Assert.Equal(first, tg.Confirmed);

        await CallAsync(http, tg, "getUpdates", new { offset = second + 1 });
        await tg.WaitUntilConfirmedAsync(second);
        Assert.Empty(tg.Pending);
        Assert.Empty(UpdateIds((await CallAsync(http, tg, "getUpdates", new { offset = first })).Body)); // an older offset cannot bring them back
        var third = tg.BlockedBy(111);
        Assert.Equal(second + 1, third);
        Assert.Equal([third], UpdateIds((await CallAsync(http, tg, "getUpdates", new { offset = -1 })).Body));
    }

    [Fact]
    public async Task Fault_queue_answers_429_then_502_html_then_normally()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        tg.FailNext("sendmessage", TelegramFault.TooManyRequests(35));
        tg.FailNext("sendMessage", TelegramFault.ServerError());

        var (status, body) = await SendAsync(http, tg, "hello");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(429, body.GetProperty("error_code").GetInt32());
        Assert.Equal("Too Many Requests: retry after 35", body.GetProperty("description").GetString());
        Assert.Equal(35, body.GetProperty("parameters").GetProperty("retry_after").GetInt32());

        using var content = new StringContent("{\"chat_id\":4242,\"text\":\"x\"}", Encoding.UTF8, "application/json");
        using var gateway = await http.PostAsync(new Uri($"{tg.BaseUrl}/bot{FakeTelegram.Token}/sendMessage"), content);
        Assert.Equal(HttpStatusCode.BadGateway, gateway.StatusCode);
        Assert.StartsWith("<html>", await gateway.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, tg, "hello")).Status);
        Assert.Equal("hello", Assert.Single(tg.Sent).Text); // faulted calls are recorded in Calls, not in Sent
        Assert.Equal(3, tg.CallsTo("sendMessage").Count);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "Unsupported start tag \"script\"")]
    [InlineData("1 < 2", "Unclosed start tag")]
    [InlineData("<b>bold", "Can't find end tag corresponding to start tag \"b\"")]
    [InlineData("<b><i>x</b></i>", "Unmatched end tag")]
    [InlineData("fish & chips", "Unsupported HTML entity")]
    public async Task Html_that_Telegram_cannot_parse_is_rejected(string text, string reason)
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        var (status, body) = await SendAsync(http, tg, text);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Bad Request: can't parse entities: " + reason, body.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Empty(tg.Sent);
    }

    [Fact]
    public async Task Escaped_and_nested_html_is_accepted_and_visible_text_decodes_entities()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        const string html = "<b>BTC <i>long</i></b> 1 &lt; 2 &amp;&amp; &quot;x&quot; &#8364;&#x41; <a href=\"https://x.io/?a=1&amp;b=2\">chart</a> <span class=\"tg-spoiler\">s</span>";
        var (status, body) = await SendAsync(http, tg, html);

        Assert.Equal(HttpStatusCode.OK, status);
        const string visible = "BTC long 1 < 2 && \"x\" €A chart s";
        Assert.Equal(visible, FakeTelegram.VisibleText(html));
        Assert.Equal(visible, body.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(5000, body.GetProperty("result").GetProperty("message_id").GetInt64());
        var sent = await tg.WaitForSentAsync(Chat, s => s.ParseMode == "HTML");
        Assert.Equal(html, sent.Text);
    }

    [Fact]
    public async Task Message_length_is_measured_on_visible_text()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, tg, "<b>" + new string('x', 4095) + "&amp;</b>")).Status);
        var (status, body) = await SendAsync(http, tg, new string('x', 4097), parseMode: null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Bad Request: message is too long", body.GetProperty("description").GetString());
        Assert.Equal("Bad Request: message text is empty", (await SendAsync(http, tg, "<b></b>")).Body.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Edit_with_identical_content_is_not_modified_and_a_real_edit_is_recorded()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        var keyboard = new { inline_keyboard = new[] { new object[] { new { text = "Snooze 1h", callback_data = "sz:BTCUSDT:60" } } } };
        var sent = await CallAsync(http, tg, "sendMessage", new { chat_id = Chat, text = "<b>alert</b>", parse_mode = "HTML", reply_markup = keyboard });
        var id = sent.Body.GetProperty("result").GetProperty("message_id").GetInt64();

        var same = await CallAsync(http, tg, "editMessageText", new { chat_id = Chat, message_id = id, text = "<b>alert</b>", parse_mode = "HTML", reply_markup = keyboard });
        Assert.Equal(HttpStatusCode.BadRequest, same.Status);
        Assert.StartsWith("Bad Request: message is not modified", same.Body.GetProperty("description").GetString(), StringComparison.Ordinal);

        var missing = await CallAsync(http, tg, "editMessageText", new { chat_id = Chat, message_id = id + 1, text = "x" });
        Assert.Equal("Bad Request: message to edit not found", missing.Body.GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(http, tg, "editMessageText", new { chat_id = Chat, message_id = id, text = "<b>alert</b> (snoozed)", parse_mode = "HTML" })).Status);
        var edit = tg.SentTo(Chat)[^1];
        Assert.True(edit.Edited);
        Assert.Null(edit.ReplyMarkupJson);
        Assert.Equal("{\"inline_keyboard\":[[{\"text\":\"Snooze 1h\",\"callback_data\":\"sz:BTCUSDT:60\"}]]}", tg.SentTo(Chat)[0].ReplyMarkupJson);
    }

    [Fact]
    public async Task Callback_data_over_64_bytes_is_rejected_and_callbacks_are_answered_once()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        var data = new string('é', 32) + "x"; // 33 chars, 65 UTF-8 bytes
        var keyboard = new { inline_keyboard = new[] { new[] { new { text = "Go", callback_data = data } } } };
        var (status, body) = await CallAsync(http, tg, "sendMessage", new { chat_id = Chat, text = "hi", reply_markup = keyboard });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Bad Request: BUTTON_DATA_INVALID", body.GetProperty("description").GetString());

        tg.PressButton(111, 5000, "mu:BTC");
        var update = (await CallAsync(http, tg, "getUpdates")).Body.GetProperty("result")[0];
        var queryId = update.GetProperty("callback_query").GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(http, tg, "answerCallbackQuery", new { callback_query_id = queryId, text = "Muted" })).Status);
        var again = await CallAsync(http, tg, "answerCallbackQuery", new { callback_query_id = queryId });
        Assert.StartsWith("Bad Request: query is too old", again.Body.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_token_is_401_unknown_method_404_and_webhook_blocks_polling()
    {
        await using var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        var (status, body) = await CallAsync(http, tg, "getMe", token: "123456789:wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Unauthorized", body.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(http, tg, "sendPigeon")).Status);
        Assert.Equal(FakeTelegram.BotUsername, (await CallAsync(http, tg, "GETME")).Body.GetProperty("result").GetProperty("username").GetString());

        await CallAsync(http, tg, "setWebhook", new { url = "https://bot.example.com/tg", secret_token = "s3cret" });
        Assert.Equal("s3cret", tg.WebhookSecret);
        Assert.Equal(HttpStatusCode.Conflict, (await CallAsync(http, tg, "getUpdates")).Status);
        await CallAsync(http, tg, "deleteWebhook");
        Assert.Null(tg.WebhookUrl);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(http, tg, "getUpdates")).Status);
    }

    [Fact]
    public async Task Dispose_is_quick_while_a_long_poll_is_in_flight()
    {
        var tg = await FakeTelegram.StartAsync();
        using var http = new HttpClient();
        var poll = CallAsync(http, tg, "getUpdates", new { timeout = 50 });
        await tg.WaitForCallAsync("getUpdates");
        await tg.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<HttpRequestException>(() => poll.WaitAsync(TimeSpan.FromSeconds(5))); // the connection is dropped, not answered
    }
}
