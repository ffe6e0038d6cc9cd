window.turno = {
    print: () => window.print(),
    // The assigned agent's check-in notification: one short tone (counted in window.__deskTones for the end-to-end tests).
    deskTone: () => {
        window.__deskTones = (window.__deskTones || 0) + 1;
        try {
            const audio = window.__deskAudio = window.__deskAudio || new AudioContext();
            if (audio.state !== 'running') audio.resume();
            const now = audio.currentTime, osc = audio.createOscillator(), gain = audio.createGain();
            osc.type = 'sine'; osc.frequency.value = 740;
            gain.gain.setValueAtTime(0.0001, now);
            gain.gain.exponentialRampToValueAtTime(0.3, now + 0.03);
            gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.4);
            osc.connect(gain).connect(audio.destination);
            osc.start(now); osc.stop(now + 0.45);
        } catch { }
    },
};

// Desk shortcuts: a key presses the enabled button marked data-shortcut="<key>", unless the agent is typing.
document.addEventListener('keydown', e => {
    if (!/^F\d+$/.test(e.key) || e.ctrlKey || e.altKey || e.metaKey) return;
    const button = document.querySelector(`[data-shortcut="${e.key}"]:not([disabled])`);
    if (!button) return;
    e.preventDefault();
    button.click();
});

// The call board's sound. The page (Display.razor) renders which call is "now showing" and awaits
// announce() before showing the next one, so the markup stays Blazor's; this only makes sound:
// a chime, then one short spelled utterance per call, chained so that none is skipped or cut.
// announce() resolves once the chime and speech are over and the call has been highlighted for
// at least `highlightSeconds`. With no Spanish voice, or no speechSynthesis at all: chime only.
window.turnoBoard = (() => {
    let audio = null, voice = null, soundOk = false, holdMs = 6000, chain = Promise.resolve();
    const preferred = ['es-CO', 'es-US', 'es-MX', 'es-ES'];
    const hasSpeech = () => { try { return 'speechSynthesis' in window && !!window.speechSynthesis; } catch { return false; } };
    const wait = ms => new Promise(r => setTimeout(r, ms));
    window.__shown = window.__shown || []; // which calls reached the big area, in order (read by the end-to-end tests)

    function pickVoice() {
        if (!hasSpeech()) return null;
        try {
            const voices = speechSynthesis.getVoices() || [];
            const lang = v => (v.lang || '').replace('_', '-').toLowerCase();
            for (const want of preferred) {
                const v = voices.find(v => lang(v) === want.toLowerCase());
                if (v) return v;
            }
            return voices.find(v => lang(v).startsWith('es')) || null;
        } catch { return null; }
    }

    function updateSoundUi() {
        const box = document.getElementById('board-sound');
        if (box) box.hidden = soundOk;
    }

    async function init(highlightSeconds) {
        if (highlightSeconds > 0) holdMs = highlightSeconds * 1000;
        try { audio = new AudioContext(); } catch { audio = null; }
        soundOk = !!audio && audio.state === 'running';
        voice = pickVoice();
        try { if (hasSpeech()) speechSynthesis.onvoiceschanged = () => { voice = pickVoice(); }; } catch { }
        updateSoundUi();
    }

    async function enableSound() {
        try { audio = audio || new AudioContext(); await audio.resume(); } catch { }
        soundOk = !!audio && audio.state === 'running';
        updateSoundUi();
        const note = document.getElementById('board-sound-blocked');
        if (note) note.hidden = soundOk;
    }

    function chime() {
        return new Promise(resolve => {
            try {
                if (!audio || audio.state !== 'running') return resolve();
                const now = audio.currentTime;
                [[880, 0], [660, 0.35]].forEach(([freq, at]) => {
                    const osc = audio.createOscillator(), gain = audio.createGain();
                    osc.type = 'sine'; osc.frequency.value = freq;
                    gain.gain.setValueAtTime(0.0001, now + at);
                    gain.gain.exponentialRampToValueAtTime(0.4, now + at + 0.03);
                    gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.6);
                    osc.connect(gain).connect(audio.destination);
                    osc.start(now + at); osc.stop(now + at + 0.65);
                });
                setTimeout(resolve, 1000);
            } catch { resolve(); }
        });
    }

    function speak(text) {
        return new Promise(resolve => {
            voice = voice || pickVoice();
            if (!hasSpeech() || !voice) return resolve(); // no Spanish voice: the chime and the highlight only
            try {
                speechSynthesis.cancel(); // Chrome can stay stuck after a long utterance
                const u = new SpeechSynthesisUtterance(text);
                try { u.voice = voice; } catch { /* a stubbed or foreign voice object */ }
                u.lang = voice.lang; u.rate = 0.9;
                u.onend = u.onerror = () => resolve();
                setTimeout(resolve, 8000); // Chrome sometimes never fires onend
                speechSynthesis.speak(u);
            } catch { resolve(); }
        });
    }

    // The server renders the call in the big area before asking to announce it, but on a busy connection the
    // render may land a moment after this message: wait (up to 3 s) so the voice never runs ahead of the screen.
    async function shown(number) {
        const until = Date.now() + 3000;
        for (;;) {
            const big = document.querySelector('.board__call--now .board__number');
            const text = big ? big.textContent.trim() : '';
            if (text === number || Date.now() > until) return text || number;
            await wait(50);
        }
    }

    async function play(text, number) {
        window.__shown.push(await shown(number));
        const started = Date.now();
        await chime();
        await speak(text);
        const left = holdMs - (Date.now() - started);
        if (left > 0) await wait(left);
    }

    // Delegated click: the CSP forbids inline onclick attributes.
    document.addEventListener('click', e => {
        if (e.target.closest && e.target.closest('[data-action=enable-sound]')) enableSound();
    });

    return {
        init, enableSound,
        /** Queues one call; the promise resolves when it has been announced and highlighted. */
        announce(text, number, counter) {
            const done = chain.then(() => play(text, number)).catch(() => { });
            chain = done;
            return done;
        },
    };
})();
