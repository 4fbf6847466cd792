using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Chat;

namespace PerpGuard.Bot.Channels.Telegram;

/// <summary>
/// Webhook mode (<c>Telegram:Mode=webhook</c>): a Kestrel endpoint on <see cref="TelegramOptions.WebhookListen"/> +
/// <see cref="TelegramOptions.WebhookPath"/> (put TLS in front of it; Telegram posts only to HTTPS on 443, 80, 88 or
/// 8443), registered with <c>setWebhook</c> at start. A request without the secret header is refused with 401 (compared
/// in constant time); an update already handled answers 200 without running again; updates of one chat are handled in
/// order, other chats in parallel. Answering 200 only after handling makes Telegram retry what a crash interrupted.
/// </summary>
internal static class TelegramWebhook
{
    /// <summary>The header Telegram sends with the secret given to <c>setWebhook</c>.</summary>
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    // Striped per-chat locks: one chat's updates never overlap, and the table never grows.
    private const int Stripes = 64;

    public static async Task RunAsync(TelegramChannel channel, ICommandHandler commands, TelegramApi api, TelegramOptions options, ILogger logger, CancellationToken ct)
    {
        var locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
        var secret = Encoding.UTF8.GetBytes(options.WebhookSecret!);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.WebhookListen);
        await using var app = builder.Build();
        app.MapPost(options.WebhookPath, async context =>
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers[SecretHeader].ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, secret))
            {
                logger.TelegramWebhookRefused(context.Connection.RemoteIpAddress?.ToString() ?? "?");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            TelegramUpdate? update;
            try
            {
                update = await JsonSerializer.DeserializeAsync(context.Request.Body, TelegramJsonContext.Default.TelegramUpdate, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                update = null;
            }
            if (update is null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            var gate = locks[(int)((ulong)TelegramChannel.ChatOf(update) % Stripes)];
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (!await channel.IsProcessedAsync(update.UpdateId, ct).ConfigureAwait(false))
                    await channel.HandleAsync(update, commands, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync(ct).ConfigureAwait(false);
        try
        {
            try
            {
                await api.SetWebhookAsync(new SetWebhookRequest(options.WebhookUrl!, options.WebhookSecret!, TelegramApi.AllowedUpdates, DropPendingUpdates: false), ct).ConfigureAwait(false);
            }
            catch (TelegramApiException ex) when (!ex.Transient)
            {
                throw new ChatChannelFatalException($"Telegram refused the webhook {options.WebhookUrl} ({ex.ErrorCode} {ex.Description}). Check Telegram:WebhookUrl: public HTTPS on port 443, 80, 88 or 8443.");
            }
            logger.TelegramWebhookListening(options.WebhookListen, options.WebhookPath);
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            foreach (var l in locks) l.Dispose();
        }
    }
}
