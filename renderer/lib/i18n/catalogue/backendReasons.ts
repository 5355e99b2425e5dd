import type { BackendReasonKey } from '../../../../shared/backendReasons';

/** Why a backend cannot train here, in Korean; the English is shared/backendReasons.ts' own wording. */
export const backendReasonsKo: Record<`backendReason.${BackendReasonKey}`, string> = {
  'backendReason.notInstalled': '{package}이(가) 설치되어 있지 않습니다 (설치 단계에서 libtensorflow를 내려받는데, 실패했거나 건너뛰었습니다)',
  'backendReason.nativeFailed': '{package}은(는) 설치되어 있지만 libtensorflow를 불러오지 못했습니다: {detail}',
  'backendReason.noNvidiaGpu': 'libtensorflow(GPU 빌드)는 불러왔지만, nvidia-smi가 NVIDIA GPU나 드라이버를 찾지 못합니다',
  'backendReason.cudaLibraries':
    'libtensorflow는 불러왔지만 {libraries}을(를) 찾을 수 없어 TensorFlow에 GPU 장치가 없습니다. tfjs-node-gpu 4.x에는 CUDA 11.2와 cuDNN 8.1이 필요합니다 (README의 GPU 설정 참고)',
  'backendReason.wasmInit': 'WebAssembly 백엔드를 초기화하지 못했습니다',
  'backendReason.wasmLoad': 'WebAssembly 백엔드를 불러오지 못했습니다: {detail}',
  'backendReason.jsInit': 'JavaScript 백엔드를 초기화하지 못했습니다',
  'backendReason.dawnLoad': 'webgpu 패키지(Dawn)를 불러오지 못했습니다: {detail}',
  'backendReason.noAdapter':
    'Dawn이 WebGPU 어댑터를 찾지 못했습니다. GPU 드라이버나 Vulkan 로더가 없습니다 (Debian/Ubuntu: apt-get install libvulkan1, Windows와 macOS에는 이미 있습니다)',
  'backendReason.adapterTurnedDown': 'Dawn이 쓸 수 있는 WebGPU 어댑터를 찾지 못했습니다. 어댑터 하나를 거절했습니다: {notes}',
  'backendReason.softwareAdapter': '소프트웨어 어댑터({adapter})만 있습니다. CPU로 학습하는 것보다 느립니다',
  'backendReason.webGpuInit': 'WebGPU 백엔드를 초기화하지 못했습니다',
  'backendReason.notRequested': '시도하지 않음: {choice} 백엔드를 요청했습니다',
  'backendReason.notNeeded': '필요 없음: {active}을(를) 먼저 골랐습니다',
  'backendReason.notTried': '시도하지 않음',
  'backendReason.dawnSaid': 'Dawn의 메시지: {notes}',
};
