using System.Text.Json.Serialization;

namespace PerpGuard.Bot.Channels.Telegram;

// The Bot API's shapes, trimmed to the fields PerpGuard reads or writes (https://core.telegram.org/bots/api). Field
// names are snake_case on the wire; ids are 64-bit ("at most 52 significant bits").

/// <summary>The envelope of every Bot API response.</summary>
internal sealed record TelegramResponse<T>(bool Ok, T? Result, int? ErrorCode, string? Description, TelegramResponseParameters? Parameters);

/// <summary>Extra error data: how long to wait, or where a group moved.</summary>
internal sealed record TelegramResponseParameters(int? RetryAfter, long? MigrateToChatId);

/// <summary>The bot itself (<c>getMe</c>).</summary>
internal sealed record TelegramBotUser(long Id, bool IsBot, string FirstName, string? Username);

/// <summary>A Telegram user.</summary>
internal sealed record TelegramUser(long Id, bool IsBot, string? FirstName, string? LastName, string? Username);

/// <summary>A chat: <c>private</c>, <c>group</c>, <c>supergroup</c> or <c>channel</c>.</summary>
internal sealed record TelegramChat(long Id, string Type);

/// <summary>A message (only what PerpGuard reads). <c>Date</c> is Unix seconds; 0 for an inaccessible message.</summary>
internal sealed record TelegramMessage(long MessageId, TelegramUser? From, TelegramChat Chat, long Date, string? Text, long? MessageThreadId);

/// <summary>A pressed inline button.</summary>
internal sealed record TelegramCallbackQuery(string Id, TelegramUser From, TelegramMessage? Message, string? Data);

/// <summary>A change of the bot's membership in a chat (a private chat's user blocked or unblocked the bot).</summary>
internal sealed record TelegramChatMemberUpdated(TelegramChat Chat, TelegramUser From, TelegramChatMember NewChatMember);

/// <summary>The bot's membership status: <c>member</c>, <c>kicked</c>, <c>left</c>...</summary>
internal sealed record TelegramChatMember(string Status);

/// <summary>One incoming update; at most one of the optional fields is set.</summary>
internal sealed record TelegramUpdate(long UpdateId, TelegramMessage? Message, TelegramMessage? EditedMessage, TelegramCallbackQuery? CallbackQuery, TelegramChatMemberUpdated? MyChatMember);

/// <summary><c>getUpdates</c> parameters.</summary>
internal sealed record GetUpdatesRequest(long? Offset, int Limit, int Timeout, IReadOnlyList<string> AllowedUpdates);

/// <summary>An inline button: exactly one of callback data or URL.</summary>
internal sealed record TelegramInlineButton(string Text, string? CallbackData = null, string? Url = null);

/// <summary>Buttons under a message, in rows.</summary>
internal sealed record TelegramInlineKeyboard(IReadOnlyList<IReadOnlyList<TelegramInlineButton>> InlineKeyboard);

/// <summary>Link previews off: alerts never unfurl.</summary>
internal sealed record TelegramLinkPreviewOptions(bool IsDisabled);

/// <summary><c>sendMessage</c> parameters.</summary>
internal sealed record SendMessageRequest(long ChatId, string Text, string? ParseMode, TelegramInlineKeyboard? ReplyMarkup, bool? DisableNotification, TelegramLinkPreviewOptions? LinkPreviewOptions, long? MessageThreadId);

/// <summary><c>editMessageText</c> parameters.</summary>
internal sealed record EditMessageTextRequest(long ChatId, long MessageId, string Text, string? ParseMode, TelegramInlineKeyboard? ReplyMarkup, TelegramLinkPreviewOptions? LinkPreviewOptions);

/// <summary><c>answerCallbackQuery</c> parameters.</summary>
internal sealed record AnswerCallbackQueryRequest(string CallbackQueryId, string? Text, bool ShowAlert);

/// <summary>A command in the client's menu.</summary>
internal sealed record TelegramBotCommand(string Command, string Description);

/// <summary><c>setMyCommands</c> parameters.</summary>
internal sealed record SetMyCommandsRequest(IReadOnlyList<TelegramBotCommand> Commands);

/// <summary><c>deleteWebhook</c> parameters.</summary>
internal sealed record DeleteWebhookRequest(bool DropPendingUpdates);

/// <summary><c>setWebhook</c> parameters.</summary>
internal sealed record SetWebhookRequest(string Url, string SecretToken, IReadOnlyList<string> AllowedUpdates, bool DropPendingUpdates);

/// <summary>Requests without parameters.</summary>
internal sealed record EmptyRequest;

/// <summary>Source-generated (de)serialization for the Bot API, snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TelegramResponse<TelegramBotUser>))]
[JsonSerializable(typeof(TelegramResponse<TelegramUpdate[]>))]
[JsonSerializable(typeof(TelegramResponse<TelegramMessage>))]
[JsonSerializable(typeof(TelegramResponse<bool>))]
[JsonSerializable(typeof(TelegramUpdate))]
[JsonSerializable(typeof(GetUpdatesRequest))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(EditMessageTextRequest))]
[JsonSerializable(typeof(AnswerCallbackQueryRequest))]
[JsonSerializable(typeof(SetMyCommandsRequest))]
[JsonSerializable(typeof(DeleteWebhookRequest))]
[JsonSerializable(typeof(SetWebhookRequest))]
[JsonSerializable(typeof(EmptyRequest))]
internal sealed partial class TelegramJsonContext : JsonSerializerContext;
