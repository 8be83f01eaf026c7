// /home: who is logged in, in which roles, and the pages those roles can open.
import { byId, el, tx } from './_dom.ts'
import { featuresFor } from './_nav.ts'
import { startStaffPage } from './_shell.ts'

const page = await startStaffPage()
if (page) {
  const { user, roleName } = page
  byId('display-name').textContent = user.displayName
  byId('username').textContent = user.username
  byId('roles').replaceChildren(...user.roles.map((r) => el('li', { class: 'badge badge--role' }, tx(roleName(r)))))

  const features = featuresFor(user.roles)
  byId('features').replaceChildren(
    ...features.map((f) =>
      el(
        'li',
        {},
        el(
          'a',
          { class: 'tile', attrs: { href: f.href } },
          el('span', { class: 'tile__title', text: f.title }),
          el('span', { class: 'tile__summary', text: f.summary }),
        ),
      ),
    ),
  )
  byId('no-features').hidden = features.length > 0
  byId('home').hidden = false
}
