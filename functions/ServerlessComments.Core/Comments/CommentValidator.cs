using System.Net.Mail;
using System.Text;
using ServerlessComments.Texts;

namespace ServerlessComments.Comments;

/// <summary>
/// Turns an untrusted <see cref="CommentForm"/> into a <see cref="CommentSubmission"/>, or into
/// the list of what is wrong with it, field by field. Text is trimmed, normalised and capped here,
/// where it enters, so nothing downstream has to distrust it again.
/// </summary>
public static partial class CommentValidator
{
    public const int MaxThreadLength = 400;
    public const int MaxAuthorLength = 80;
    public const int MaxEmailLength = 254;
    public const int MaxUrlLength = 2000;
    public const int MaxPageTitleLength = 300;
    public const int MaxBodyLength = 10_000;

    public sealed record Result(CommentSubmission? Submission, IReadOnlyDictionary<string, string[]> Errors)
    {
        public bool IsValid => Submission is not null;
    }

    public static Result Validate(CommentForm form, string id, DateTimeOffset acceptedAt)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];
        // What a reader typed is answered in the page's language; the rest is for developers.
        var say = Strings.For(form.Lang);

        var thread = form.Thread;
        if (ThreadProblem(thread) is { } threadProblem)
            Fail("thread", threadProblem);

        // Without the characters that reorder or hide text (AuthorNames), wherever the name comes from.
        var author = AuthorNames.Clean(form.Author);
        if (author is null)
            Fail("author", say.Reader("authorRequired"));
        else if (!IsWellFormedText(author))
            Fail("author", say.Reader("authorBroken"));
        else if (LengthOf(author) > MaxAuthorLength)
            Fail("author", say.Reader("authorTooLong", ("max", MaxAuthorLength)));

        var email = form.Email?.Trim();
        if (string.IsNullOrEmpty(email))
            Fail("email", say.Reader("emailRequired"));
        else if (!IsEmailAddress(email))
            Fail("email", say.Reader("emailInvalid"));

        var website = OptionalUrl(form.Website, "website", say.Reader("websiteInvalid"), Fail);
        var pageUrl = OptionalUrl(form.PageUrl, "pageUrl", "The page URL must be an absolute http:// or https:// address.", Fail);

        var pageTitle = OneLine(form.PageTitle);
        if (pageTitle is not null && !IsWellFormedText(pageTitle))
            Fail("pageTitle", "The page title contains broken Unicode.");
        else if (pageTitle is not null && LengthOf(pageTitle) > MaxPageTitleLength)
            Fail("pageTitle", $"The page title must be at most {MaxPageTitleLength} characters.");

        var parentId = string.IsNullOrWhiteSpace(form.ParentId) ? null : form.ParentId.Trim();
        if (parentId is not null && !CommentId.IsWellFormed(parentId))
            Fail("parentId", UnknownParent);

        var body = Body(form.Body);
        if (body is null)
            Fail("body", say.Reader("bodyRequired"));
        else if (!IsWellFormedText(body))
            Fail("body", say.Reader("bodyBroken"));
        else if (LengthOf(body) > MaxBodyLength)
            Fail("body", say.Reader("bodyTooLong", ("max", MaxBodyLength)));

        var lang = string.IsNullOrWhiteSpace(form.Lang) ? null : form.Lang.Trim();
        if (lang is not null && (lang.Length > 35 || !LanguageTag().IsMatch(lang)))
            Fail("lang", "lang must be a language tag such as fr or en-GB.");

        if (errors.Count > 0)
            return new Result(null, errors);

        return new Result(new CommentSubmission
        {
            Id = id,
            Thread = thread!,
            ParentId = parentId,
            PageUrl = pageUrl,
            PageTitle = pageTitle,
            Author = author!,
            Email = email!,
            Website = website,
            Body = body!,
            NotifyOnReply = form.NotifyOnReply ?? false,
            Lang = lang,
            CreatedAt = acceptedAt,
        }, errors);
    }

    /// <summary>What is wrong with a thread identifier, or null. The thread is kept exactly as
    /// given (not trimmed), since it names a page.</summary>
    public static string? ThreadProblem(string? thread) =>
        string.IsNullOrWhiteSpace(thread) ? "The thread is required: the page's stable identifier, usually its path."
        : !IsWellFormedText(thread) || thread.Any(char.IsControl) ? "The thread must not contain control characters or broken Unicode."
        : LengthOf(thread) > MaxThreadLength ? $"The thread must be at most {MaxThreadLength} characters."
        : null;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    private static partial System.Text.RegularExpressions.Regex LanguageTag();

    public const string UnknownParent = "There is no comment with this id in this thread to reply to.";

    /// <summary>Length in Unicode characters (code points), so an emoji counts once.</summary>
    internal static int LengthOf(string text)
    {
        var length = 0;
        foreach (var _ in text.EnumerateRunes())
            length++;
        return length;
    }

    /// <summary>False for lone surrogates, which UTF-8 would silently turn into U+FFFD, and for
    /// Unicode noncharacters (U+FDD0–U+FDEF, and the last two code points of every plane), which
    /// are not text to interchange: XML forbids U+FFFE and U+FFFF, so one of them would break
    /// every export.</summary>
    internal static bool IsWellFormedText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(text[i]))
                return false;
            if (IsNoncharacter(codePoint))
                return false;
        }
        return true;
    }

    internal static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>Trimmed, with every run of white space (line breaks too) made one space, and
    /// other control characters dropped; null when nothing is left.</summary>
    internal static string? OneLine(string? text)
    {
        if (text is null)
            return null;
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
                pendingSpace = sb.Length > 0;
            else if (!char.IsControl(c))
            {
                if (pendingSpace)
                    sb.Append(' ');
                pendingSpace = false;
                sb.Append(c);
            }
        }
        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>Plain text with its line breaks kept (as <c>\n</c>), other control characters
    /// dropped, trimmed; null when nothing is left.</summary>
    internal static string? Body(string? text)
    {
        if (text is null)
            return null;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                sb.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
            }
            else if (c is '\n' or '\t' || !char.IsControl(c))
                sb.Append(c);
        }
        var trimmed = sb.ToString().Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    internal static bool IsEmailAddress(string email)
    {
        if (email.Length > MaxEmailLength || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return false;
        // MailAddress accepts display names and odd forms; only a bare address equal to the input counts.
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.DisplayName.Length > 0)
            return false;
        var at = email.LastIndexOf('@');
        return at > 0 && at < email.Length - 1;
    }

    internal static bool TryWebUrl(string text, out string normalised)
    {
        normalised = "";
        if (text.Length > MaxUrlLength || text.Any(char.IsControl))
            return false;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo))
            return false;
        normalised = uri.AbsoluteUri;
        return true;
    }

    private static string? OptionalUrl(string? value, string field, string message, Action<string, string> fail)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        if (TryWebUrl(text, out var url))
            return url;
        fail(field, message);
        return null;
    }
}
