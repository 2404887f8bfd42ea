// Every setting the app reads, in one place: the Functions host's identity-based storage
// connection (service URIs and the identity's client id, no key), Application Insights through
// the identity, the app's own options (Section__Key, as the app binds them), and its secrets as
// Key Vault references. Values that tune retries and time-outs are set explicitly to the app's
// defaults, so that an operator sees and can change them in one place.

import { blogSettings, smtpSettings, spamSettings } from 'types.bicep'

@description('Name of the Function App.')
param functionAppName string

@description('Host name of the Function App, for the links in emails.')
param defaultHostName string

@description('Client id of the user-assigned identity the app connects as.')
param identityClientId string

@description('Service endpoints of the storage account.')
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string

@description('Connection string of Application Insights (not a secret with local authentication off).')
param applicationInsightsConnectionString string

@description('Storage__CommentQueue, Storage__NotificationQueue, Storage__CommentTable, Storage__ThreadContainer.')
param commentQueueName string
param notificationQueueName string
param commentTableName string
param threadContainerName string

@description('Widget__StaticBase: the public address of the thread views; empty: page views go to the API.')
param widgetStaticBase string

@description('Moderation__Mode.')
param moderationMode 'none' | 'first-time' | 'all'

@description('Privacy__RetentionDays.')
param retentionDays int

param blog blogSettings
param spam spamSettings

@description('Key Vault references for the secrets; an empty one leaves its feature off.')
param adminApiKeyReference string
param linkSigningKeyReference string
param sendGridApiKeyReference string
param akismetApiKeyReference string
// The SMTP password's Key Vault reference (named "key" as the linter reads "password" as a secret value).
param smtpKeyReference string

@description('Email__Provider: sendgrid, smtp, or empty (SendGrid when its key is set).')
param emailProvider string

@description('Smtp__Host, Smtp__Port, Smtp__Username, Smtp__Security.')
param smtp smtpSettings

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The Functions host and the app's storage clients: identity-based, no connection string.
    AzureWebJobsStorage__blobServiceUri: blobEndpoint
    AzureWebJobsStorage__queueServiceUri: queueEndpoint
    AzureWebJobsStorage__tableServiceUri: tableEndpoint
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    // Telemetry through the identity (Application Insights refuses its instrumentation key).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    Storage__CommentQueue: commentQueueName
    Storage__NotificationQueue: notificationQueueName
    Storage__CommentTable: commentTableName
    Storage__ThreadContainer: threadContainerName
    // The public thread: levels of nesting and top-level comments a page (the app's defaults).
    Threads__CountsCacheMilliseconds: '1000'
    Threads__MaxDepth: '5'
    Threads__PageCacheMegabytes: '32'
    Threads__PageRevalidateMilliseconds: '1000'
    Threads__PageSize: '50'
    // Comment text as a Markdown subset, rendered once when stored.
    Threads__Markdown: 'true'
    // With public views, the widget reads first pages and counts.json there and the app keeps the
    // widget's files there; empty (publicViews off): the API serves everything.
    Widget__StaticBase: widgetStaticBase

    Moderation__Mode: moderationMode

    Spam__MaxLinks: string(spam.maxLinks)
    Spam__HoldWords: spam.holdWords
    Spam__BlockWords: spam.blockWords
    Spam__RefuseDuplicates: spam.refuseDuplicates ? 'true' : 'false'
    Spam__FloodSeconds: string(spam.floodSeconds)
    // The learning filter: spam at or above one probability, held at or above the other; how much
    // one owner decision weighs against the shipped corpora.
    Spam__Filter: 'true'
    Spam__FilterSpamAbove: '0.95'
    Spam__FilterHoldAbove: '0.7'
    Spam__FilterOwnerWeight: '5'

    // Proof of work before anything is stored: difficulty, lifetime, what a missing one gets, and
    // how many challenges one network may ask for in a minute.
    Challenge__On: 'true'
    Challenge__MaxNumber: '100000'
    Challenge__Seconds: '600'
    Challenge__Missing: 'refuse'
    Challenge__PerMinute: '30'

    // Readers' faces (identicons; Gravatar only when turned on, fetched by the app), likes and
    // page reactions, their own comments' edit window, and their own data by an emailed link.
    Avatars__On: 'true'
    Avatars__Gravatar: 'false'
    Avatars__GravatarBaseUrl: 'https://gravatar.com/avatar/'
    Avatars__OwnerPicture: ''
    Avatars__PictureCacheSeconds: '86400'
    Reactions__Enabled: 'true'
    Reactions__PageEmoji: '👍 ❤️ 😂 😮 😢'
    Reactions__FloodMilliseconds: '500'
    Comments__EditWindowMinutes: '15'
    Comments__EditRequestsPerClient: '30'
    YourData__On: 'true'
    YourData__RequestSeconds: '20'
    YourData__EmailsPerHour: '30'

    // Akismet is on when its key is set; the key and the blog URL go together.
    Akismet__ApiKey: akismetApiKeyReference
    Akismet__BlogUrl: empty(akismetApiKeyReference) ? '' : blog.url
    Akismet__BlogLang: blog.language
    Akismet__BaseUrl: 'https://rest.akismet.com'
    Akismet__IsTest: 'false'
    Akismet__TimeoutSeconds: '10'
    Akismet__MaxRetries: '6'
    Akismet__RetryDelaySeconds: '30'

    // The admin API is on: its key is in Key Vault.
    Admin__ApiKey: adminApiKeyReference
    // The owner's console: session lifetime (days without use) and one sign-in link request per client per so many seconds.
    Admin__SessionDays: '14'
    // However often it is used, a session ends this many days after signing in.
    Admin__SessionMaxDays: '30'
    Admin__LinkRequestSeconds: '20'
    // Strangers cannot starve the owner's sign-in link: per client, plus this site-wide cap.
    Admin__SignInEmailsPerHour: '20'
    // Wrong keys before each further attempt waits (1 s, doubling): per client a day, site-wide an hour.
    Admin__KeyFailuresPerClient: '10'
    Admin__KeyFailuresSiteWide: '100'

    // The Functions front end sets X-Forwarded-For; the connection's address is the front end's.
    Network__TrustForwardedHeaders: 'true'
    // The front end appends one X-Forwarded-For entry, the address it saw: the client is the rightmost.
    Network__TrustedProxyHops: '1'

    Privacy__RetentionDays: string(retentionDays)

    // Where emails go: the one setting; empty keeps the rule from before it (SendGrid when its key is set).
    Email__Provider: emailProvider
    SendGrid__ApiKey: sendGridApiKeyReference
    SendGrid__Host: 'https://api.sendgrid.com'
    Smtp__Host: smtp.host
    // Empty: 465 with SslOnConnect, 587 otherwise.
    Smtp__Port: smtp.port == 0 ? '' : string(smtp.port)
    Smtp__Username: smtp.username
    Smtp__Password: smtpKeyReference
    Smtp__Security: smtp.security
    Smtp__TimeoutSeconds: '30'
    // Only a provider with a certificate a public authority signed: no pinned self-signed one in Azure.
    Smtp__CertificateSha256: ''

    Notifications__OwnerEmail: blog.ownerEmail
    Notifications__FromEmail: blog.fromEmail
    Notifications__FromName: blog.fromName
    Notifications__SiteName: blog.siteName
    Notifications__PublicBaseUrl: 'https://${defaultHostName}'
    // Links to comments in emails point only to this origin, never to a URL a reader sent.
    Notifications__BlogUrl: blog.url
    Notifications__LinkSecret: linkSigningKeyReference
    Notifications__Lang: blog.language
    // The local outbox is for development only: in Azure, no provider means email is off, and says so.
    Notifications__Outbox: 'false'
    // Where it would write (the app's package is read-only, /tmp is not).
    Notifications__OutboxPath: '/tmp/outbox'
    Notifications__MaxRetries: '6'
    Notifications__RetryDelaySeconds: '30'
    // Held comments reach the owner as one digest per period; confirmations are capped site-wide.
    Notifications__HeldDigestMinutes: '15'
    Notifications__DigestPublished: 'false'
    Notifications__ConfirmationsPerHour: '30'
  }
}
