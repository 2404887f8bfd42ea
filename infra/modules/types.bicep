// Types shared by main.bicep and the modules.

@export()
@description('The built-in spam defences (Spam__*); the defaults are WordPress\'s, as in the app.')
type spamSettings = {
  @description('More links than this holds a comment.')
  @minValue(0)
  @maxValue(1000)
  maxLinks: int

  @description('Words that hold a comment for moderation, separated by commas or new lines.')
  holdWords: string

  @description('Words that mark a comment as spam, separated by commas or new lines.')
  blockWords: string

  @description('Refuse the same text from the same email address in the same thread.')
  refuseDuplicates: bool

  @description('One comment per IP address and per email address every this many seconds (0: off).')
  @minValue(0)
  @maxValue(86400)
  floodSeconds: int
}

@export()
@description('What the blog owner says about the blog and its email (Notifications__*, Akismet__*).')
type blogSettings = {
  @description('The blog\'s home page, e.g. https://blog.example.com/ (Akismet__BlogUrl, Notifications__BlogUrl: links in emails point only here).')
  url: string

  @description('The blog\'s name, in emails (Notifications__SiteName).')
  siteName: string

  @description('Language of the owner\'s emails and of readers\' emails when their page names none.')
  language: 'en' | 'fr'

  @description('Where new and held comments are announced; empty: no owner emails.')
  ownerEmail: string

  @description('Sender of every email; must be a sender the mail provider has verified.')
  fromEmail: string

  @description('Display name of the sender.')
  fromName: string
}

@export()
@description('Any mail provider\'s SMTP submission (Smtp__*), used when emailProvider is smtp. The password is a secure parameter of its own.')
type smtpSettings = {
  @description('The SMTP server, e.g. smtp.example.com (Smtp__Host).')
  host: string

  @description('Its port (Smtp__Port); 0: 465 with SslOnConnect, 587 otherwise.')
  @minValue(0)
  @maxValue(65535)
  port: int

  @description('The login (Smtp__Username); empty: no authentication.')
  username: string

  @description('MailKit\'s words (Smtp__Security): Auto (TLS on connect on port 465, STARTTLS otherwise), StartTls or SslOnConnect. None, clear text, is for a server on loopback only, so not here.')
  security: 'Auto' | 'StartTls' | 'SslOnConnect'
}

@export()
@description('Resource tags.')
type tagsType = {
  *: string
}
