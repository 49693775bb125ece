/* global AudioWorkletProcessor, registerProcessor -- the AudioWorkletGlobalScope */
// Runs on the audio thread of the voice mode's AudioContext (16 kHz, so the browser has
// already resampled the microphone): floats in, 20 ms frames of PCM16 (320 samples) out.
const FRAME_SAMPLES = 320;

class PcmFramer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.fill = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let index = 0; index < channel.length; index++) {
      const sample = Math.max(-1, Math.min(1, channel[index]));
      this.frame[this.fill++] = sample < 0 ? sample * 0x8000 : sample * 0x7fff;
      if (this.fill === FRAME_SAMPLES) {
        this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME_SAMPLES);
        this.fill = 0;
      }
    }
    return true;
  }
}

registerProcessor('pcm-framer', PcmFramer);
