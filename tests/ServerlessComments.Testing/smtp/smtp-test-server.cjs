// A real SMTP server for the tests: nodemailer's smtp-server (npm, MIT) on loopback, driven by one
// JSON argument. It records what it takes and answers DATA as the test's plan says, one step per
// message: "accept", a reply code such as 451 or 554, "drop" (closes the connection in the middle
// of the message) or "stall" (never answers). Once the plan is spent it accepts. Every event is
// one JSON line on stdout, for the test to read.
//
// Settings: { port, user?, password?, tls: "none" | "starttls" | "implicit", key?, cert? (PEM files), plan?: [], dir }
'use strict';
const fs = require('fs');
const path = require('path');
const { SMTPServer } = require('smtp-server');

const settings = JSON.parse(process.argv[2]);
const plan = [...(settings.plan || [])];
const say = event => process.stdout.write(JSON.stringify(event) + '\n');
let count = 0;

const tls = settings.tls || 'none';
const server = new SMTPServer({
    secure: tls === 'implicit',
    key: settings.key ? fs.readFileSync(settings.key) : undefined,
    cert: settings.cert ? fs.readFileSync(settings.cert) : undefined,
    // Only what was asked for: smtp-server would otherwise offer STARTTLS with its own built-in certificate.
    disabledCommands: [...(tls === 'none' ? ['STARTTLS'] : []), ...(settings.user ? [] : ['AUTH'])],
    authOptional: !settings.user,
    allowInsecureAuth: tls === 'none',
    logger: false,
    banner: 'test server',
    onAuth(auth, session, callback) {
        const ok = auth.username === settings.user && auth.password === settings.password;
        say({ event: 'auth', ok, user: auth.username, method: auth.method, secure: !!session.secure });
        if (!ok) {
            const error = new Error('Authentication credentials invalid');
            error.responseCode = 535;
            return callback(error);
        }
        callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
        const step = plan.length ? plan.shift() : 'accept';
        const chunks = [];
        let dropped = false;
        stream.on('data', chunk => {
            chunks.push(chunk);
            if (step === 'drop' && !dropped) {
                // Part of the message is in, no reply has gone out: the client cannot know its fate.
                dropped = true;
                say({ event: 'data', step, messageId: messageId(Buffer.concat(chunks)) });
                for (const connection of server.connections) {
                    if (connection.id === session.id) connection._socket.destroy();
                }
            }
        });
        stream.on('end', () => {
            if (step === 'drop') return;
            const raw = Buffer.concat(chunks);
            if (step === 'stall') {
                say({ event: 'data', step, messageId: messageId(raw) });
                return; // never calls back: the client's timeout must act
            }
            if (step !== 'accept') {
                say({ event: 'data', step, messageId: messageId(raw) });
                const error = new Error(Number(step) < 500 ? 'Try again later' : 'Message refused');
                error.responseCode = Number(step);
                return callback(error);
            }
            const file = path.join(settings.dir, `${++count}.eml`);
            fs.writeFileSync(file, raw);
            say({
                event: 'message', file, messageId: messageId(raw), secure: !!session.secure, user: session.user || null,
                from: session.envelope.mailFrom && session.envelope.mailFrom.address,
                to: session.envelope.rcptTo.map(r => r.address),
            });
            callback(null, 'queued as ' + count);
        });
    },
});
server.on('error', error => say({ event: 'error', message: error.message }));

function messageId(raw) {
    const match = /^Message-ID:\s*(\S+)/im.exec(raw.toString('utf8'));
    return match ? match[1] : null;
}

fs.mkdirSync(settings.dir, { recursive: true });
server.listen(settings.port, '127.0.0.1', () => say({ event: 'listening', port: settings.port }));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
