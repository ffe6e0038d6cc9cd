window.turno = {
    print: () => window.print(),
};

// Desk shortcuts: a key presses the enabled button marked data-shortcut="<key>", unless the agent is typing.
document.addEventListener('keydown', e => {
    if (!/^F\d+$/.test(e.key) || e.ctrlKey || e.altKey || e.metaKey) return;
    const button = document.querySelector(`[data-shortcut="${e.key}"]:not([disabled])`);
    if (!button) return;
    e.preventDefault();
    button.click();
});

// The call board: a chime, then one short utterance per call, queued so that none is skipped.
window.turnoBoard = (() => {
    const queue = [];
    let busy = false, audio = null, voice = null, soundOk = false;
    const preferred = ['es-CO', 'es-US', 'es-MX', 'es-ES'];

    function pickVoice() {
        if (!('speechSynthesis' in window)) return null;
        const voices = speechSynthesis.getVoices();
        for (const lang of preferred) {
            const v = voices.find(v => v.lang?.replace('_', '-').toLowerCase() === lang.toLowerCase());
            if (v) return v;
        }
        return voices.find(v => v.lang?.toLowerCase().startsWith('es')) || null;
    }

    function updateSoundUi() {
        const box = document.getElementById('board-sound');
        if (box) box.hidden = soundOk;
    }

    async function init() {
        try { audio = new AudioContext(); } catch { audio = null; }
        soundOk = !!audio && audio.state === 'running';
        voice = pickVoice();
        if ('speechSynthesis' in window) speechSynthesis.onvoiceschanged = () => { voice = pickVoice(); };
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
        });
    }

    function flash(number) {
        const el = document.querySelector('.board__call--now');
        if (!el) return;
        el.classList.remove('board__call--flash');
        void el.offsetWidth;
        el.classList.add('board__call--flash');
    }

    function speak(text) {
        return new Promise(resolve => {
            if (!('speechSynthesis' in window) || !voice) return resolve();
            speechSynthesis.cancel(); // Chrome can stay stuck after a long utterance
            const u = new SpeechSynthesisUtterance(text);
            try { u.voice = voice; } catch { /* a stubbed or foreign voice object */ }
            u.lang = voice.lang; u.rate = 0.9;
            u.onend = u.onerror = () => resolve();
            setTimeout(resolve, 8000);
            speechSynthesis.speak(u);
        });
    }

    async function pump() {
        if (busy) return;
        busy = true;
        while (queue.length) {
            const { text, number } = queue.shift();
            flash(number);
            await chime();
            await speak(text);
            await new Promise(r => setTimeout(r, 400));
        }
        busy = false;
    }

    return {
        init, enableSound,
        announce(text, number) { queue.push({ text, number }); pump(); },
        get spoken() { return queue.length; },
    };
})();
