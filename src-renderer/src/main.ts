import { mount } from 'svelte'
import App from './App.svelte'
import './styles.css'

const target = document.getElementById('app')!

// A failure while starting the UI is shown as text, never as a blank page.
function showFatal(message: string): void {
  target.innerHTML = ''
  const box = document.createElement('div')
  box.className = 'fatal'
  box.setAttribute('role', 'alert')
  box.textContent = `LEAFE Workbench could not start: ${message}`
  target.append(box)
}

try {
  mount(App, { target })
} catch (err) {
  showFatal((err as Error)?.message ?? String(err))
}
